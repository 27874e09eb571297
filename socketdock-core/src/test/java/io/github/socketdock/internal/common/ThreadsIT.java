package io.github.socketdock.internal.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.Backends;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The server's thread pool stays within its cap through a burst of upgrades. */
class ThreadsIT {

    /** Threads of a relay's server pool: {@code socketdock-<id>}, renamed while leased ({@code -acceptor-…}). */
    private static final Pattern SERVER_THREAD = Pattern.compile("socketdock-\\d+(-.*)?");

    @Test
    void aBurstOfUpgradesGrowsTheServerPoolNoFurtherThanItsCap() throws Exception {
        int cap = Threads.maxThreads(Runtime.getRuntime().availableProcessors());
        int connecting = 64;
        int perThread = 12;
        ExecutorService clients = Executors.newFixedThreadPool(connecting);
        try (SocketDock dock = SocketDock.builder().host("127.0.0.1").port(0).backend(Backends.loopback()).build().start();
                TestClient client = new TestClient()) {
            URI url = URI.create("ws://127.0.0.1:" + dock.port() + "/ws");
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < connecting; t++) {
                done.add(CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            TestClient.Socket s = client.connect(url);
                            s.sendText("burst");
                            assertThat(s.nextText()).isEqualTo("burst");
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, clients));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            assertThat(dock.stats().activeConnections()).isEqualTo(connecting * perThread);

            // idle pool threads live for a minute, so the pool's peak is still there to count
            long serverThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> SERVER_THREAD.matcher(t.getName()).matches())
                    .count();
            assertThat(serverThreads).as("server pool threads after the burst").isBetween(1L, (long) cap);
        } finally {
            clients.shutdownNow();
        }
    }
}
