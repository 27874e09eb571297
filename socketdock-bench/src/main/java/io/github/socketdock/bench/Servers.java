package io.github.socketdock.bench;

import io.github.socketdock.Backend;
import io.github.socketdock.Backends;
import io.github.socketdock.Limits;
import io.github.socketdock.SocketDock;
import io.github.socketdock.http.HttpBackendOptions;
import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/** The servers under test, each run as a child process: the relay, and the bare echo baseline. */
final class Servers {

    /** Largest message the servers and the generator accept. */
    static final int MAX_MESSAGE = 1 << 20;

    private Servers() {
    }

    /**
     * {@code relay --backend loopback|http [--backend-url URL] [--max-buffered-bytes N]}: SocketDock
     * as a user would run it, through its public API, every other feature at its default.
     */
    static void relay(Args args) throws Exception {
        String kind = args.string("backend", "loopback");
        String url = args.string("backend-url", null);
        long budget = (long) args.number("max-buffered-bytes", 0);
        args.checkAllUsed();
        Backend backend;
        if (kind.equals("loopback")) {
            backend = Backends.loopback();
        } else if (kind.equals("http") && url != null) {
            backend = Backends.http(HttpBackendOptions.builder(URI.create(url)).build());
        } else {
            throw new IllegalArgumentException("--backend must be loopback, or http with --backend-url");
        }
        SocketDock.Builder builder = SocketDock.builder().host("127.0.0.1").port(0).backend(backend);
        if (budget > 0) {
            builder.limits(Limits.defaults().withMaxBufferedBytes(budget));
        }
        try (SocketDock dock = builder.build().start()) {
            serveUntilStdinCloses(dock.port());
        }
    }

    /** {@code echo-server}: a bare Jetty WebSocket echo on the same stack, doing nothing else. */
    static void echoServer(Args args) throws Exception {
        args.checkAllUsed();
        ServerConnector connector = localServer("echo");
        Server server = connector.getServer();
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.setIdleTimeout(Duration.ZERO);
            container.addMapping("/ws", (request, response, callback) -> new Echo());
        }));
        server.start();
        try {
            serveUntilStdinCloses(connector.getLocalPort());
        } finally {
            server.stop();
        }
    }

    /** Echoes every message back in a frame of the same type. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            this.session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            session.sendBinary(copy, Callback.NOOP);
        }
    }

    /** @return the connector, on 127.0.0.1 and a free port, of a new server with its own named threads */
    static ServerConnector localServer(String threadName) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(threadName);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        return connector;
    }

    /**
     * Says {@code READY port=<port>} on stdout and serves until stdin closes (the parent ended).
     * On a line {@code alloc} it answers {@code ALLOC <bytes>}: the bytes its threads have
     * allocated so far (those that ended since, as last sampled), for the allocation per message.
     */
    static void serveUntilStdinCloses(int port) throws IOException {
        startAllocationSampler();
        System.out.println("READY port=" + port);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("alloc")) {
                System.out.println("ALLOC " + allocatedBytes());
                System.out.flush();
            } else if (line.equals("memory")) {
                // live heap after a full collection, and the direct buffers the JDK counts
                System.gc();
                long direct = java.lang.management.ManagementFactory.getPlatformMXBeans(
                                java.lang.management.BufferPoolMXBean.class).stream()
                        .filter(p -> p.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                        .sum();
                long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.println("MEMORY " + direct + " " + heap);
                System.out.flush();
            }
        }
    }

    /** Each thread's allocated bytes when last seen: a pool thread that ends keeps its count here. */
    private static final Map<Long, Long> ALLOCATED = new ConcurrentHashMap<>();
    private static volatile long samplerId = -1;

    /** Starts sampling each thread's allocated bytes, every 100 ms. */
    private static void startAllocationSampler() {
        // sample often, so that a thread ending between two "alloc" requests (a pool thread idle
        // for a minute) still counts what it allocated; the sampler's own bytes are left out
        Thread sampler = new Thread(() -> {
            samplerId = Thread.currentThread().getId();
            while (true) {
                sampleAllocations();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-allocation-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static void sampleAllocations() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] > 0 && ids[i] != samplerId) {
                ALLOCATED.merge(ids[i], bytes[i], Math::max);
            }
        }
    }

    private static long allocatedBytes() {
        sampleAllocations();
        long sum = 0;
        for (long b : ALLOCATED.values()) {
            sum += b;
        }
        return sum;
    }
}
