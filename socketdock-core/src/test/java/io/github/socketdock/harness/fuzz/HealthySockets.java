package io.github.socketdock.harness.fuzz;

import io.github.socketdock.fixtures.TestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The healthy sockets: real WebSocket clients opened before the storm, which must live through it
 * and still relay. A round trip sends "healthy:i:…" and waits for the backend's "echo:" of it,
 * counting any stray storm frame it skips.
 */
public final class HealthySockets {

    private final List<TestClient.Socket> sockets;
    private final Seed seed;
    private final Outcomes outcomes;

    private HealthySockets(List<TestClient.Socket> sockets, Seed seed, Outcomes outcomes) {
        this.sockets = sockets;
        this.seed = seed;
        this.outcomes = outcomes;
    }

    /** @return {@code count} sockets connected to {@code uri} */
    public static HealthySockets open(TestClient client, URI uri, int count, Seed seed, Outcomes outcomes)
            throws Exception {
        List<TestClient.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(client.connect(uri));
        }
        return new HealthySockets(sockets, seed, outcomes);
    }

    /** @return socket {@code i} */
    public TestClient.Socket get(int i) {
        return sockets.get(i);
    }

    /** @return how many there are */
    public int size() {
        return sockets.size();
    }

    /** Makes a round trip on every socket, one after another. */
    public void roundTripAll() throws Exception {
        for (int i = 0; i < sockets.size(); i++) {
            roundTrip(i);
        }
    }

    /** Sends "healthy:i:…" and waits for the backend's "echo:" of it, skipping stray storm frames. */
    private void roundTrip(int i) throws Exception {
        TestClient.Socket socket = sockets.get(i);
        String token = "healthy:" + i + ":" + UUID.randomUUID();
        socket.sendText(token);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long left = until - System.nanoTime();
            TestClient.Frame f = left > 0 ? socket.frames().poll(left, TimeUnit.NANOSECONDS) : null;
            if (f == null) {
                throw new AssertionError(seed + ": healthy socket " + i + " got no echo of " + token);
            }
            if (f.isText() && f.text().equals("echo:" + token)) {
                return;
            }
            outcomes.count("healthy socket: stray storm frame");
        }
    }
}
