package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.RecordingBackendServer.Recorded;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestClient;
import io.github.socketdock.harness.fuzz.Seed;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery contract (README "Delivery") against a chaotic backend that records every arrival
 * with its ids. Each message request is answered 503 at once, read whole and then dropped with no
 * answer, or answered 200; in the second test also reset before its body is read, held open (a
 * Credo mediator's return route), answered late, and cut off by a kill of the whole backend, which
 * is restarted while requests keep coming. For every socket: the arrivals de-duplicated by
 * {@code SocketDock-Message-Id} are the messages as sent, first arrivals in order with sequences
 * 1, 2, …; each message delivered once; a duplicate only after a try that was refused or lost,
 * always with the same ids; no socket closed; and each disconnect after the socket's last try.
 */
class DeliveryContractIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private static final int SOCKETS = 12;
    private static final int MESSAGES = 25;

    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;
    /** The tries a kill of the backend cut off. */
    private java.util.Set<Long> cut = java.util.Set.of();

    private List<TestClient.Socket> connect(HttpBackendOptions.Builder options) throws Exception {
        dock = closer.add(SocketDock.builder().port(0).backend(Backends.http(options
                .connectUri(backend.uri("/connect")).disconnectUri(backend.uri("/disconnect")).build())).build().start());
        client = closer.add(new TestClient());
        List<TestClient.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            sockets.add(client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws")));
        }
        return sockets;
    }

    private static void send(List<TestClient.Socket> sockets, int from, int to) throws Exception {
        for (int m = from; m <= to; m++) {
            for (int i = 0; i < SOCKETS; i++) {
                sockets.get(i).sendText("s" + i + " m" + m);
            }
        }
    }

    @Test
    void aChaoticBackendGetsEverySocketsMessagesOnceEachInOrderWithTheirIds() throws Exception {
        Seed seed = Seed.fromSystemProperty();
        Random rnd = seed.random(0);
        backend = closer.add(RecordingBackendServer.start().answerBy(r -> {
            if (!r.path().equals("/message")) {
                return 0;
            }
            int roll = roll(rnd);
            return roll < 20 ? 503 : roll < 30 ? RecordingBackendServer.DROP : 200;
        }));
        // an ordering window longer than any answer here takes even on a loaded machine: every
        // failure comes before its message counted as delivered, so order holds strictly
        List<TestClient.Socket> sockets = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .orderingWindow(Duration.ofSeconds(10))
                .retry(Retry.defaults().withRetries(12).withBackoff(Duration.ofMillis(5))));
        send(sockets, 1, MESSAGES);
        Fates fates = (r, last) -> Integer.valueOf(200).equals(backend.answered(r.seq()));
        awaitDelivered(fates, seed.replay());

        int duplicates = closeAndCheck(sockets, fates, seed.replay(), true);
        assertThat(duplicates).as(seed.replay() + ": the chaos made retries").isPositive();
    }

    @Test
    void aBackendKilledAndRestartedAmidResetsHoldsAndLateAnswersLosesNothing() throws Exception {
        Seed seed = Seed.fromSystemProperty();
        Random rnd = seed.random(1);
        backend = closer.add(RecordingBackendServer.start().answerLateBy(Duration.ofMillis(30))
                .resetUnread(path -> path.equals("/message") && roll(rnd) < 8)
                .answerBy(r -> {
                    if (!r.path().equals("/message")) {
                        return 0;
                    }
                    int roll = roll(rnd);
                    return roll < 10 ? 503 : roll < 18 ? RecordingBackendServer.DROP
                            : roll < 28 ? RecordingBackendServer.HOLD : roll < 40 ? RecordingBackendServer.LATE : 200;
                }));
        // a short ordering window, so held answers (a Credo mediator's return routes) hold nobody
        // back for long; a failure after it may let the next message overtake the retry, but first
        // arrivals stay in order and nothing is lost
        // (a backend timeout longer than the test waits: a socket stalled on a held answer fails it)
        List<TestClient.Socket> sockets = connect(HttpBackendOptions.builder(backend.uri("/message"))
                .orderingWindow(Duration.ofMillis(100))
                .retry(Retry.defaults().withRetries(12).withBackoff(Duration.ofMillis(20)))
                .timeout(Duration.ofMinutes(5)));
        send(sockets, 1, MESSAGES / 2);
        backend.await("/message", SOCKETS * MESSAGES / 4);

        long retriesBefore = dock.stats().backendRetries();
        cut = backend.kill();
        // requests keep coming while nothing listens: refused, retried with backoff
        send(sockets, MESSAGES / 2 + 1, MESSAGES);
        await().atMost(Duration.ofSeconds(30)).until(() -> dock.stats().backendRetries() > retriesBefore + SOCKETS);
        backend.restart();

        // a try the kill cut off is retried unless the relay saw its answer begin: if it is the
        // last try of its message, it is the one that counted
        Fates fates = (r, last) -> Integer.valueOf(200).equals(backend.answered(r.seq())) || backend.holding(r.seq())
                || (last && cut.contains(r.seq()));
        awaitDelivered(fates, seed.replay());

        int duplicates = closeAndCheck(sockets, fates, seed.replay(), false);
        assertThat(backend.resets()).as(seed.replay() + ": resets before the body was read").isPositive();
        assertThat(duplicates).as(seed.replay() + ": the chaos made retries").isPositive();
    }

    /** Whether a try of a message counts as its delivery; {@code last}: no later try of it arrived. */
    private interface Fates {
        boolean delivered(Recorded r, boolean last);
    }

    private static int roll(Random rnd) {
        synchronized (rnd) {
            return rnd.nextInt(100);
        }
    }

    private Map<String, List<Recorded>> triesById() {
        return backend.requests("/message").stream().collect(Collectors.groupingBy(
                r -> r.header("SocketDock-Message-Id"), LinkedHashMap::new, Collectors.toList()));
    }

    private static boolean delivered(List<Recorded> tries, Fates fates) {
        for (int i = 0; i < tries.size(); i++) {
            if (fates.delivered(tries.get(i), i == tries.size() - 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until every message sent was delivered; if it never is, says where each socket stopped
     * and every try of each message not delivered.
     */
    private void awaitDelivered(Fates fates, String replay) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                triesById().values().stream().filter(tries -> delivered(tries, fates)).count())
                .as(() -> replay + ": messages delivered; each socket's last try, and the relay's " + dock.stats() + ":\n"
                        + backend.requests("/message").stream().collect(Collectors.toMap(
                                r -> r.header("SocketDock-Connection-Id"), r -> r, (x, y) -> y, LinkedHashMap::new))
                        .values().stream().map(this::describe).collect(Collectors.joining("\n"))
                        + "\nthe tries of each message not delivered:\n"
                        + triesById().values().stream().filter(tries -> !delivered(tries, fates))
                        .map(tries -> tries.stream().map(this::describe).collect(Collectors.joining("; ")))
                        .collect(Collectors.joining("\n")))
                .isEqualTo(SOCKETS * MESSAGES));
    }

    private String describe(Recorded r) {
        return r.json().get("message").getAsString() + " #" + r.seq() + " answered " + backend.answered(r.seq())
                + (backend.holding(r.seq()) ? ", held" : "") + (cut.contains(r.seq()) ? ", cut" : "");
    }

    /**
     * Closes the sockets, waits for their disconnects and checks the contract for each socket.
     *
     * @param strictOrder whether every failure came within the ordering window, so each message
     *     was also delivered before the next one's first try
     * @return how many duplicate tries arrived in all
     */
    private int closeAndCheck(List<TestClient.Socket> sockets, Fates fates, String replay, boolean strictOrder)
            throws Exception {
        assertThat(sockets).as("no socket closed by the relay").noneMatch(s -> s.closed().isDone());
        for (TestClient.Socket s : sockets) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.requests("/disconnect").size() == SOCKETS);

        Map<String, List<Recorded>> byConnection = backend.requests("/message").stream()
                .collect(Collectors.groupingBy(r -> r.header("SocketDock-Connection-Id"), LinkedHashMap::new,
                        Collectors.toList()));
        assertThat(byConnection).as(replay).hasSize(SOCKETS);
        int duplicates = 0;
        for (Map.Entry<String, List<Recorded>> e : byConnection.entrySet()) {
            List<Recorded> tries = e.getValue();
            Map<String, Recorded> firstById = new LinkedHashMap<>();
            Map<String, Recorded> lastById = new HashMap<>();
            for (Recorded r : tries) {
                String id = r.header("SocketDock-Message-Id");
                Recorded first = firstById.putIfAbsent(id, r);
                lastById.put(id, r);
                if (first != null) {
                    duplicates++;
                    assertThat(r.text()).as(replay + ": a retry is the same request").isEqualTo(first.text());
                    assertThat(r.header("SocketDock-Sequence")).isEqualTo(first.header("SocketDock-Sequence"));
                }
            }
            List<String> texts = firstById.values().stream().map(r -> r.json().get("message").getAsString()).toList();
            String socket = texts.get(0).split(" ")[0];
            List<String> sent = new ArrayList<>();
            for (int m = 1; m <= MESSAGES; m++) {
                sent.add(socket + " m" + m);
            }
            assertThat(texts).as(replay + ": first arrivals of " + e.getKey()).isEqualTo(sent);
            assertThat(firstById.values()).extracting(r -> r.header("SocketDock-Sequence"))
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, MESSAGES).mapToObj(Integer::toString).toList());
            Map<String, Integer> deliveries = new HashMap<>();
            List<String> deliveredOrder = new ArrayList<>();
            for (Recorded r : tries) {
                String id = r.header("SocketDock-Message-Id");
                if (fates.delivered(r, lastById.get(id) == r)) {
                    deliveries.merge(id, 1, Integer::sum);
                    deliveredOrder.add(r.json().get("message").getAsString());
                    // a duplicate follows only a try that was refused or lost
                    assertThat(lastById.get(id)).as(replay + ": a try after the one that delivered " + id).isSameAs(r);
                }
            }
            assertThat(deliveries.values()).as(replay + ": each message delivered once").containsOnly(1).hasSize(MESSAGES);
            if (strictOrder) {
                assertThat(deliveredOrder).as(replay + ": delivered in order").isEqualTo(sent);
            }
            Recorded disconnect = backend.requests("/disconnect").stream()
                    .filter(d -> e.getKey().equals(d.header("SocketDock-Connection-Id"))).findFirst().orElseThrow();
            assertThat(disconnect.seq()).as(replay + ": the disconnect after the socket's last try")
                    .isGreaterThan(tries.get(tries.size() - 1).seq());
            assertThat(disconnect.json().get("code").getAsInt()).as(replay).isEqualTo(1000);
        }
        return duplicates;
    }
}
