package io.github.socketdock.bench;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The {@code receipts} scenario: what {@code /send?receipt=} adds to a {@code /send}. A relay in a
 * process of its own, an http backend here that learns each socket's {@code meta.send} from its
 * first message, real WebSocket clients (Jetty's, which answer pings by themselves), and one
 * sender per socket that alternates a plain send and a receipted one, one at a time. Reported: the
 * latency of each kind (request sent to answer received, p50 and p99), the difference, and the
 * client's round trip as the receipts measured it ({@code rtt_ms}), against the goal: a receipt's
 * p50 at most one client round trip plus 1 ms over a plain send's.
 */
final class ReceiptLatency {

    private ReceiptLatency() {
    }

    static void run(List<String> relayJvm, int connections, int size, Duration warmup, Duration duration,
                    Results results) throws Exception {
        BlockingQueue<String> sendUrls = new LinkedBlockingQueue<>();
        HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        backend.createContext("/message", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                sendUrls.add(JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("meta").get("send").getAsString());
                exchange.sendResponseHeaders(200, -1);
            }
        });
        backend.start();
        WebSocketClient ws = new WebSocketClient();
        ws.start();
        try (Child dock = Child.start("relay", relayJvm, "relay", "--backend", "http", "--backend-url",
                "http://127.0.0.1:" + backend.getAddress().getPort() + "/message")) {
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Session s = ws.connect(new Session.Listener.AutoDemanding() { },
                        URI.create("ws://127.0.0.1:" + dock.port() + "/ws")).get(30, TimeUnit.SECONDS);
                s.sendText("hello " + i, Callback.NOOP);
                sessions.add(s);
            }
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                String url = sendUrls.poll(30, TimeUnit.SECONDS);
                if (url == null) {
                    throw new IllegalStateException("the backend heard " + i + " of " + connections + " sockets");
                }
                urls.add(url);
            }
            Recorder plain = new Recorder(3);
            Recorder receipted = new Recorder(3);
            Recorder rtt = new Recorder(3);
            AtomicLong errors = new AtomicLong();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] payload = "x".repeat(size).getBytes(StandardCharsets.UTF_8);
            long warmEnd = System.nanoTime() + warmup.toNanos();
            long end = warmEnd + duration.toNanos();
            List<Thread> senders = new ArrayList<>();
            for (String url : urls) {
                Thread t = new Thread(() -> send(http, url, payload, warmEnd, end, plain, receipted, rtt, errors),
                        "receipt-sender");
                t.start();
                senders.add(t);
            }
            for (Thread t : senders) {
                t.join();
            }
            Histogram p = plain.getIntervalHistogram();
            Histogram r = receipted.getIntervalHistogram();
            Histogram trip = rtt.getIntervalHistogram();
            double added = ms(r.getValueAtPercentile(50)) - ms(p.getValueAtPercentile(50));
            double goal = ms(trip.getValueAtPercentile(50)) + 1;
            String line = "plain /send p50 " + Results.fmt(ms(p.getValueAtPercentile(50)), 2) + " ms, p99 "
                    + Results.fmt(ms(p.getValueAtPercentile(99)), 2) + " ms (" + p.getTotalCount() + "); with ?receipt= p50 "
                    + Results.fmt(ms(r.getValueAtPercentile(50)), 2) + " ms, p99 " + Results.fmt(ms(r.getValueAtPercentile(99)), 2)
                    + " ms (" + r.getTotalCount() + "); added at p50 " + Results.fmt(added, 2) + " ms, at p99 "
                    + Results.fmt(ms(r.getValueAtPercentile(99)) - ms(p.getValueAtPercentile(99)), 2)
                    + " ms; client round trip (rtt_ms) p50 " + Results.fmt(ms(trip.getValueAtPercentile(50)), 2) + " ms, p99 "
                    + Results.fmt(ms(trip.getValueAtPercentile(99)), 2) + " ms; goal: added p50 ≤ round trip + 1 ms = "
                    + Results.fmt(goal, 2) + " ms: " + (added <= goal ? "met" : "missed") + "; errors " + errors.get();
            results.summary.put("receipts at " + connections + " connections", line);
            System.err.println("receipts: " + line);
            for (Session s : sessions) {
                s.close();
            }
        } finally {
            ws.stop();
            backend.stop(0);
        }
    }

    private static void send(HttpClient http, String url, byte[] payload, long warmEnd, long end, Recorder plain,
                             Recorder receipted, Recorder rtt, AtomicLong errors) {
        boolean withReceipt = false;
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            withReceipt = !withReceipt;
            HttpRequest request = HttpRequest.newBuilder(URI.create(withReceipt ? url + "?receipt=10s" : url))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
            long start = System.nanoTime();
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - start;
                if (answer.statusCode() != 200) {
                    errors.incrementAndGet();
                } else if (start >= warmEnd) {
                    (withReceipt ? receipted : plain).recordValue(took);
                    if (withReceipt) {
                        double rttMs = JsonParser.parseString(answer.body()).getAsJsonObject().get("rtt_ms").getAsDouble();
                        rtt.recordValue((long) (rttMs * 1e6));
                    }
                }
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
