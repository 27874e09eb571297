package io.github.socketdock.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The load generator: N WebSocket connections on Jetty's client, warm-up, then a measured window.
 *
 * <ul>
 *   <li>{@link Mode#CLOSED}: each connection sends, waits for the echo, sends again; latency from
 *       send to echo.</li>
 *   <li>{@link Mode#OPEN}: a fixed offered rate over all connections, sent on schedule whether or
 *       not earlier echoes came back; latency from the <em>intended</em> send time, so a stall is
 *       charged to every message it delayed (no coordinated omission).</li>
 *   <li>{@link Mode#ONE_WAY}: without a rate, each connection sends as fast as the relay reads (at
 *       most {@link #ONE_WAY_WINDOW} writes outstanding); with a rate, on schedule as in OPEN, each
 *       message carrying its intended send time. Nothing comes back; the backend counts and times.</li>
 * </ul>
 */
final class LoadGenerator implements AutoCloseable {

    enum Mode { CLOSED, OPEN, ONE_WAY }

    /** The settings of one run; {@code rate} (messages per second over all connections) is for OPEN only. */
    record Config(URI url, int connections, int size, Duration warmup, Duration duration, Mode mode, double rate) {
    }

    /** What the generator saw in the measured window. */
    record Outcome(long messages, double seconds, Histogram latency, long errors, String firstError) {
        double perSecond() {
            return messages / seconds;
        }
    }

    /** Hooks at the edges of the measured window, to sample the relay and the backend. */
    interface Window {
        void started();

        void ended();
    }

    static final int ONE_WAY_WINDOW = 4;
    /** Bound on echoes one connection may owe in OPEN mode before the run fails as overloaded. */
    private static final int MAX_OWED = 100_000;
    private static final int CONNECTING_AT_ONCE = 64;
    private static final long HIGHEST_LATENCY_NS = TimeUnit.MINUTES.toNanos(5);

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private final HttpClient http;
    private final WebSocketClient client;
    private final Recorder recorder = new Recorder(HIGHEST_LATENCY_NS, 3);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile int phase = WARMUP;
    private String payload;
    /** The payload after the 16 hex digits a one-way message starts with. */
    private String oneWayTail;
    private int size;
    /** Hex digits of a one-way message's send time. */
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();
    /** The callback of a send whose completion nothing waits for: it counts failures only. */
    private final Callback sendFailed = Callback.from(() -> { }, x -> error("send failed: " + x));
    /** The callback of an open-loop one-way send: a sent message counts, a failure is an error. */
    private final Callback oneWaySent = Callback.from(this::countSent, x -> error("send failed: " + x));

    LoadGenerator() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("generator");
        http = new HttpClient();
        http.setExecutor(threads);
        client = new WebSocketClient(http);
        client.setMaxTextMessageSize(Servers.MAX_MESSAGE);
        client.setMaxBinaryMessageSize(Servers.MAX_MESSAGE);
        client.setIdleTimeout(Duration.ofMinutes(10));
        client.setConnectTimeout(30_000);
        client.start();
    }

    private void countSent() {
        if (phase == MEASURE) {
            recorder.recordValue(0);
        }
    }

    void error(String what) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, what);
    }

    long errors() {
        return errors.get();
    }

    String firstError() {
        return firstError.get();
    }

    /** One client connection. */
    public final class Conn implements Session.Listener.AutoDemanding {
        volatile Session session;
        /** CLOSED: when the message now awaited was sent. */
        volatile long sentAt;
        /** OPEN: the intended send times of the echoes still owed, oldest first. */
        final Queue<Long> owed = new ConcurrentLinkedQueue<>();
        final AtomicInteger owedCount = new AtomicInteger();
        /** Completes with the first message received (idle clients check one echo). */
        final CompletableFuture<String> firstReply = new CompletableFuture<>();
        Mode mode = Mode.CLOSED;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            long now = System.nanoTime();
            if (!firstReply.isDone()) {
                firstReply.complete(message);
            }
            if (payload == null) {
                return;
            }
            if (message.length() != size) {
                error("an echo of " + message.length() + " characters, not " + size);
            }
            if (mode == Mode.OPEN) {
                Long intended = owed.poll();
                if (intended == null) {
                    error("an echo that was not owed");
                    return;
                }
                owedCount.decrementAndGet();
                record(now - intended);
            } else if (mode == Mode.CLOSED) {
                record(now - sentAt);
                if (phase != STOP) {
                    sendClosed();
                }
            }
        }

        void sendClosed() {
            sentAt = System.nanoTime();
            session.sendText(payload, sendFailed);
        }

        /** Closed one-way loop: each completed send counts and sends the next. */
        private final Callback sentThenNext = Callback.from(() -> {
            countSent();
            sendOneWay();
        }, x -> error("send failed: " + x));

        void sendOneWay() {
            if (phase == STOP) {
                return;
            }
            session.sendText(HEX.toHexDigits(System.nanoTime()) + oneWayTail, sentThenNext);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            if (phase != STOP) {
                error("socket error: " + cause);
            }
            firstReply.completeExceptionally(cause);
        }

        @Override
        public void onWebSocketClose(int code, String reason, Callback callback) {
            if (phase != STOP) {
                error("closed by the server: " + code + " " + reason);
            }
            firstReply.completeExceptionally(new IllegalStateException("closed " + code));
            callback.succeed();
        }
    }

    private void record(long latencyNs) {
        if (phase == MEASURE) {
            recorder.recordValue(Math.min(latencyNs, HIGHEST_LATENCY_NS));
        }
    }

    /**
     * Opens {@code n} connections, at most {@value #CONNECTING_AT_ONCE} upgrades at a time.
     * Connections that fail count as errors and are left out.
     */
    List<Conn> open(URI url, int n) throws InterruptedException {
        Semaphore slots = new Semaphore(CONNECTING_AT_ONCE);
        List<Conn> conns = new ArrayList<>(n);
        List<CompletableFuture<?>> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            slots.acquire();
            Conn c = new Conn();
            try {
                pending.add(client.connect(c, url).whenComplete((s, x) -> {
                    slots.release();
                    if (x != null) {
                        error("connect failed: " + x);
                    } else {
                        synchronized (conns) {
                            conns.add(c);
                        }
                    }
                }));
            } catch (Exception e) {
                slots.release();
                error("connect failed: " + e);
            }
        }
        for (CompletableFuture<?> f : pending) {
            f.handle((v, x) -> null).join();
        }
        return conns;
    }

    /** Runs one configured load and @return what was measured. */
    Outcome run(Config cfg, Window window) throws Exception {
        if (cfg.size() < 16) {
            throw new IllegalArgumentException("--size must be at least 16 bytes");
        }
        size = cfg.size();
        payload = "x".repeat(cfg.size());
        oneWayTail = payload.substring(16);
        List<Conn> conns = open(cfg.url(), cfg.connections());
        if (conns.isEmpty()) {
            throw new IllegalStateException("no connection opened to " + cfg.url() + ": " + firstError());
        }
        for (Conn c : conns) {
            c.mode = cfg.mode();
        }
        Thread sender = null;
        switch (cfg.mode()) {
            case CLOSED -> conns.forEach(Conn::sendClosed);
            case ONE_WAY -> {
                if (cfg.rate() > 0) {
                    sender = new Thread(() -> sendOnSchedule(conns, cfg.rate(), true), "one-way-sender");
                    sender.setDaemon(true);
                    sender.start();
                } else {
                    conns.forEach(c -> {
                        for (int i = 0; i < ONE_WAY_WINDOW; i++) {
                            c.sendOneWay();
                        }
                    });
                }
            }
            case OPEN -> {
                sender = new Thread(() -> sendOnSchedule(conns, cfg.rate(), false), "open-loop-sender");
                sender.setDaemon(true);
                sender.start();
            }
        }
        sleep(cfg.warmup());
        recorder.getIntervalHistogram();
        long errorsBefore = errors();
        phase = MEASURE;
        long start = System.nanoTime();
        window.started();
        sleep(cfg.duration());
        window.ended();
        long end = System.nanoTime();
        phase = STOP;
        Histogram h = recorder.getIntervalHistogram();
        if (sender != null) {
            sender.join(10_000);
        }
        for (Conn c : conns) {
            c.session.close();
        }
        return new Outcome(h.getTotalCount(), (end - start) / 1e9, h, errors() - errorsBefore, firstError());
    }

    /**
     * Sends on a fixed schedule over all connections. One-way messages carry their intended send
     * time, so the backend measures their age from it.
     */
    private void sendOnSchedule(List<Conn> conns, double rate, boolean oneWay) {
        if (rate <= 0) {
            error("open-loop mode needs --rate above 0");
            return;
        }
        double interval = 1e9 / rate;
        long start = System.nanoTime();
        for (long k = 0; phase != STOP; k++) {
            long intended = start + (long) (k * interval);
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            Conn c = conns.get((int) (k % conns.size()));
            if (oneWay) {
                c.session.sendText(HEX.toHexDigits(intended) + oneWayTail, oneWaySent);
                continue;
            }
            if (c.owedCount.incrementAndGet() > MAX_OWED) {
                error("more than " + MAX_OWED + " echoes owed on one connection: the offered rate is too high");
                phase = STOP;
                return;
            }
            c.owed.add(intended);
            c.session.sendText(payload, sendFailed);
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    @Override
    public void close() {
        try {
            client.stop();
            http.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the generator's client did not stop: " + e, e);
        }
    }
}
