package io.github.socketdock.bench;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The memory-bound scenarios (issue 13): hostile and heavy inbound load against a relay in a
 * process of its own, with one unrelated socket echoing small messages throughout. Each reports
 * that socket's worst echo, what happened to the heavy senders, the relay's peak resident memory,
 * and its direct memory and live heap before and after. Figures only: nothing is asserted.
 *
 * <ul>
 *   <li>{@code jam}: {@code --max-buffered-bytes 8MiB}, loopback; three clients each send 3 MiB
 *       of one binary message in 64 KiB frames and never the last one.</li>
 *   <li>{@code large-held}: http; 200 sockets each send one 3 MiB text message to a backend that
 *       holds each answer 2 s (small messages it echoes at once).</li>
 *   <li>{@code escape-storm}: http; 48 sockets each send a 4 MiB text of U+0001, which JSON
 *       escapes to 24 MiB; the relay runs with {@code -XX:+ExitOnOutOfMemoryError}, so an
 *       {@code OutOfMemoryError} would end it.</li>
 * </ul>
 */
final class Pressure {

    private static final int MIB = 1 << 20;

    private final List<String> relayJvm;
    private final Results results;
    private final Function<Child, JsonObject> backendStats;

    /** @param backendStats reads (and restarts) a backend's {@code /stats} */
    Pressure(List<String> relayJvm, Results results, Function<Child, JsonObject> backendStats) {
        this.relayJvm = relayJvm;
        this.results = results;
        this.backendStats = backendStats;
    }

    void jam() throws Exception {
        try (Child dock = Child.start("relay", relayJvm, "relay", "--backend", "loopback",
                "--max-buffered-bytes", Long.toString(8L * MIB));
             Probe probe = Probe.start(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
             RssPeak rss = new RssPeak(dock.pid())) {
            long[] before = dock.memory();
            List<Socket> hostile = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                hostile.add(beginAndNeverEnd(dock.port(), 3 * MIB));
            }
            probe.reset();
            Thread.sleep(20_000);
            String worst = probe.report();
            for (Socket s : hostile) {
                s.close();
            }
            report("jam (3 clients never end 3 MiB messages, budget 8 MiB)", worst, dock, rss, before, "-");
        }
    }

    void largeHeld() throws Exception {
        heavy("large-held (200 × one 3 MiB text, answers held 2 s)", 200, "x".repeat(3 * MIB), 2000,
                List.of());
    }

    void escapeStorm() throws Exception {
        heavy("escape-storm (48 × one 4 MiB text of U+0001)", 48, "\u0001".repeat(4 * MIB - 64), 0,
                List.of("-XX:+ExitOnOutOfMemoryError"));
    }

    /**
     * Issue 14's held answers: one socket sends 1,000 messages of 1 KiB in 10 s to a backend that
     * never answers (Credo's transport never ends a return-route answer); reports whether all
     * arrive, and the largest gap between two arrivals (a per-socket bound on held answers used to
     * stop the socket for the backend timeout).
     */
    void held() throws Exception {
        try (Child backend = Child.start("backend", List.of(), "backend");
             Child dock = Child.start("relay", relayJvm, "relay", "--backend", "http", "--backend-url",
                     "http://127.0.0.1:" + backend.port() + "/socketdock/never");
             WebSocketClient client = new WebSocketClient()) {
            client.start();
            Session s = client.connect(new Closes(new ConcurrentHashMap<>()),
                    URI.create("ws://127.0.0.1:" + dock.port() + "/ws")).get(30, TimeUnit.SECONDS);
            String pad = "x".repeat(1000);
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                s.sendText(String.format("%04d ", i) + pad, Callback.NOOP);
                Thread.sleep(10);
            }
            long arrived = 0;
            while (arrived < 1000 && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(3)) {
                Thread.sleep(500);
                arrived = backendStats.apply(backend).get("never").getAsLong();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double gapMs = backendStats.apply(backend).get("neverMaxGap").getAsLong() / 1e6;
            String line = arrived + " of 1000 arrived in " + Results.fmt(seconds, 1) + " s; largest gap between arrivals "
                    + Results.fmt(gapMs, 1) + " ms (goal ≤ 1,000 ms); socket " + (s.isOpen() ? "open" : "CLOSED");
            results.summary.put("held (1 socket, 1,000 × 1 KiB in 10 s, answers never come)", line);
            System.out.println("held: " + line);
            s.close();
        }
    }

    /** {@code senders} sockets each send {@code text} once, to a backend answering large messages after {@code hold} ms. */
    private void heavy(String name, int senders, String text, int hold, List<String> extraJvm) throws Exception {
        List<String> jvm = new ArrayList<>(relayJvm);
        jvm.addAll(extraJvm);
        try (Child backend = Child.start("backend", List.of(), "backend");
             Child dock = Child.start("relay", jvm, "relay", "--backend", "http", "--backend-url",
                     "http://127.0.0.1:" + backend.port() + "/socketdock/pressure?hold=" + hold);
             Probe probe = Probe.start(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"));
             RssPeak rss = new RssPeak(dock.pid());
             WebSocketClient client = new WebSocketClient()) {
            client.setMaxTextMessageSize(8L * MIB);
            client.start();
            long[] before = dock.memory();
            Map<Integer, AtomicInteger> closes = new ConcurrentHashMap<>();
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                sessions.add(client.connect(new Closes(closes), URI.create("ws://127.0.0.1:" + dock.port() + "/ws"))
                        .get(30, TimeUnit.SECONDS));
            }
            probe.reset();
            long start = System.nanoTime();
            for (Session s : sessions) {
                s.sendText(text, Callback.NOOP);
            }
            // until the backend has had every large message, or two minutes
            long delivered = 0;
            while (delivered < senders && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(2) && dock.alive()) {
                Thread.sleep(500);
                delivered += backendStats.apply(backend).get("large").getAsLong();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String worst = probe.report();
            String outcome = delivered + " of " + senders + " delivered in " + Results.fmt(seconds, 1) + " s; closed: "
                    + (closes.isEmpty() ? "none" : closes.toString());
            for (Session s : sessions) {
                s.close();
            }
            // "after" once the answers held for the last of them have come
            Thread.sleep(hold + 2000L);
            report(name, worst, dock, rss, before, outcome);
        }
    }

    private void report(String name, String worst, Child dock, RssPeak rss, long[] before, String outcome)
            throws IOException {
        boolean alive = dock.alive();
        long[] after = alive ? dock.memory() : new long[] {-1, -1};
        String line = "unrelated socket: " + worst + "; heavy senders: " + outcome + "; relay "
                + (alive ? "alive" : "ENDED (OutOfMemoryError?)") + ", peak RSS " + rss.peakMiB() + " MiB"
                + (alive ? ", direct " + mib(before[0]) + " → " + mib(after[0]) + " MiB, live heap "
                + mib(before[1]) + " → " + mib(after[1]) + " MiB" : "");
        results.summary.put(name, line);
        System.out.println(name + ": " + line);
    }

    private static String mib(long bytes) {
        return Results.fmt(bytes / (double) MIB, 1);
    }

    /** A raw client that upgrades, then sends {@code bytes} of one binary message in 64 KiB frames and stops. */
    private static Socket beginAndNeverEnd(int port, int bytes) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("upgrade refused");
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Thread writer = new Thread(() -> {
            byte[] piece = new byte[64 * 1024];
            try {
                for (int sent = 0; sent < bytes; sent += piece.length) {
                    out.write(maskedFrame(sent == 0 ? 0x2 : 0x0, piece));
                }
            } catch (IOException closed) {
                // the relay closed it
            }
        }, "hostile-writer");
        writer.setDaemon(true);
        writer.start();
        return s;
    }

    /** A masked client frame, FIN clear, with a 64-bit length. */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        byte[] f = new byte[14 + payload.length];
        f[0] = (byte) opcode;
        f[1] = (byte) (0x80 | 127);
        long n = payload.length;
        for (int i = 0; i < 8; i++) {
            f[2 + i] = (byte) (n >>> (56 - 8 * i));
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        System.arraycopy(mask, 0, f, 10, 4);
        for (int i = 0; i < payload.length; i++) {
            f[14 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return f;
    }

    /** Counts the close codes the heavy senders get. */
    public static final class Closes implements Session.Listener.AutoDemanding {
        private final Map<Integer, AtomicInteger> codes;

        Closes(Map<Integer, AtomicInteger> codes) {
            this.codes = codes;
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            if (statusCode != 1000 && statusCode != 1005) {
                codes.computeIfAbsent(statusCode, c -> new AtomicInteger()).incrementAndGet();
            }
            callback.succeed();
        }
    }

    /** Samples a process's resident memory every 100 ms and keeps the peak. */
    private static final class RssPeak implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;

        RssPeak(long pid) {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(ProcStats.rssKiB(pid), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        long peakMiB() {
            return peak.get() / 1024;
        }

        @Override
        public void close() {
            sampler.interrupt();
        }
    }

    /** Hands the probe's echoes back (Jetty calls only public endpoint classes). */
    public static final class Replies implements Session.Listener.AutoDemanding {
        private final Probe probe;

        Replies(Probe probe) {
            this.probe = probe;
        }

        @Override
        public void onWebSocketText(String message) {
            probe.reply.complete(message);
        }
    }

    /** The unrelated socket: echoes a small message every 100 ms and keeps the worst round trip. */
    private static final class Probe implements AutoCloseable {
        private final WebSocketClient client = new WebSocketClient();
        private final Thread loop;
        private final AtomicLong worstNanos = new AtomicLong();
        private final AtomicInteger echoes = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private volatile CompletableFuture<String> reply = new CompletableFuture<>();
        private volatile long resetAt = System.nanoTime();
        private volatile double worstAt;
        private Session session;

        private Probe(URI url) throws Exception {
            client.start();
            session = client.connect(new Replies(this), url).get(30, TimeUnit.SECONDS);
            loop = new Thread(this::run, "probe");
            loop.setDaemon(true);
        }

        static Probe start(URI url) throws Exception {
            Probe p = new Probe(url);
            p.loop.start();
            return p;
        }

        private void run() {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                reply = new CompletableFuture<>();
                long t0 = System.nanoTime();
                session.sendText("probe " + i, Callback.NOOP);
                try {
                    reply.get(10, TimeUnit.SECONDS);
                    echoes.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
                long took = System.nanoTime() - t0;
                if (took > worstNanos.get()) {
                    worstNanos.set(took);
                    worstAt = (t0 - resetAt) / 1e9;
                }
                if (Boolean.getBoolean("probe.trace") && took > 200_000_000L) {
                    System.out.printf("probe %d at %.2f s took %.0f ms%n", i, (t0 - resetAt) / 1e9, took / 1e6);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void reset() {
            resetAt = System.nanoTime();
            worstNanos.set(0);
            echoes.set(0);
            failures.set(0);
        }

        String report() {
            return echoes.get() + " echoes, worst " + Results.fmt(worstNanos.get() / 1e6, 1) + " ms (at "
                    + Results.fmt(worstAt, 1) + " s)"
                    + (failures.get() > 0 ? ", " + failures.get() + " not back within 10 s" : "")
                    + (session.isOpen() ? "" : ", CLOSED");
        }

        @Override
        public void close() throws Exception {
            loop.interrupt();
            client.stop();
        }
    }
}
