package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.testing.RecordingBackendServer;
import io.github.socketdock.testing.RecordingBackendServer.Recorded;
import io.github.socketdock.testing.TestClient;
import io.github.socketdock.testing.fuzz.Seed;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery contract (README "Delivery") against a chaotic backend: each message request is
 * answered 503 at once, read whole and then dropped with no answer (a reset, a backend killed while
 * it held the request), answered late, or answered 200. With an ordering window longer than any
 * of those takes, every socket's messages must reach the backend exactly as sent once duplicates
 * are dropped by {@code SocketDock-Message-Id}, first arrivals in order, duplicates only of tries
 * that got no accepted answer and always with the same ids, no socket closed, and each disconnect
 * only after the socket's last message was accepted.
 */
class DeliveryContractIT {

    private static final int SOCKETS = 12;
    private static final int MESSAGES = 25;

    private RecordingBackendServer backend;
    private SocketDock dock;
    private TestClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (dock != null) {
            dock.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aChaoticBackendGetsEverySocketsMessagesOnceEachInOrderWithTheirIds() throws Exception {
        Seed seed = Seed.fromSystemProperty();
        Random rnd = seed.random(0);
        Map<Long, Integer> answers = new ConcurrentHashMap<>();
        backend = RecordingBackendServer.start().answerBy(r -> {
            if (!r.path().equals("/message")) {
                return 0;
            }
            int roll;
            synchronized (rnd) {
                roll = rnd.nextInt(100);
            }
            int answer = roll < 20 ? 503 : roll < 30 ? RecordingBackendServer.DROP : 200;
            answers.put(r.seq(), answer);
            return answer;
        });
        dock = SocketDock.builder().port(0).backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect")).disconnectUri(backend.uri("/disconnect"))
                // longer than any answer here takes even on a loaded machine: every failure comes
                // before its message counted as delivered, so order holds strictly
                .orderingWindow(Duration.ofSeconds(10)).retries(12).retryBackoff(Duration.ofMillis(5))
                .build())).build().start();
        client = new TestClient();
        List<TestClient.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            sockets.add(client.connect(URI.create("ws://127.0.0.1:" + dock.port() + "/ws")));
        }
        for (int m = 1; m <= MESSAGES; m++) {
            for (int i = 0; i < SOCKETS; i++) {
                sockets.get(i).sendText("s" + i + " m" + m);
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> backend.requests("/message").stream()
                .filter(r -> answers.get(r.seq()) == 200).count() == (long) SOCKETS * MESSAGES);
        assertThat(sockets).as("no socket closed by the relay").noneMatch(s -> s.closed().isDone());
        for (TestClient.Socket s : sockets) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.requests("/disconnect").size() == SOCKETS);

        String replay = seed.replay();
        Map<String, List<Recorded>> byConnection = backend.requests("/message").stream()
                .collect(Collectors.groupingBy(r -> r.header("SocketDock-Connection-Id"), LinkedHashMap::new,
                        Collectors.toList()));
        assertThat(byConnection).as(replay).hasSize(SOCKETS);
        int duplicates = 0;
        for (Map.Entry<String, List<Recorded>> e : byConnection.entrySet()) {
            Map<String, Recorded> firstById = new LinkedHashMap<>();
            Map<String, Integer> accepted = new HashMap<>();
            for (Recorded r : e.getValue()) {
                String id = r.header("SocketDock-Message-Id");
                Recorded first = firstById.putIfAbsent(id, r);
                if (first != null) {
                    duplicates++;
                    assertThat(r.text()).as(replay + ": a retry is the same request").isEqualTo(first.text());
                    assertThat(r.header("SocketDock-Sequence")).isEqualTo(first.header("SocketDock-Sequence"));
                }
                if (answers.get(r.seq()) == 200) {
                    accepted.merge(id, 1, Integer::sum);
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
            assertThat(accepted.values()).as(replay + ": each message accepted once").containsOnly(1).hasSize(MESSAGES);
            // a duplicate follows only a try that was refused or lost: every accepted try is the last of its id
            for (Recorded r : e.getValue()) {
                if (answers.get(r.seq()) == 200) {
                    String id = r.header("SocketDock-Message-Id");
                    assertThat(e.getValue()).filteredOn(x -> id.equals(x.header("SocketDock-Message-Id")) && x.seq() > r.seq())
                            .as(replay + ": a try after an accepted one").isEmpty();
                }
            }
            long lastAccepted = e.getValue().stream().filter(r -> answers.get(r.seq()) == 200).mapToLong(Recorded::seq).max()
                    .orElseThrow();
            Recorded disconnect = backend.requests("/disconnect").stream()
                    .filter(d -> e.getKey().equals(d.header("SocketDock-Connection-Id"))).findFirst().orElseThrow();
            assertThat(disconnect.seq()).as(replay + ": the disconnect after the last message").isGreaterThan(lastAccepted);
            assertThat(disconnect.json().get("code").getAsInt()).as(replay).isEqualTo(1000);
        }
        assertThat(duplicates).as(replay + ": the chaos made retries").isPositive();
    }
}
