package io.github.socketdock.harness.fuzz;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The storm: numbered operations run on a thread pool against the relay's port, each of the
 * {@link OperationKind} its {@link Seed#random(int) random source} draws first. Counts what each
 * operation met in the {@link Outcomes} handed in, and collects what each storm socket sent
 * ({@link #leadingMessages()}).
 */
public final class Storm {

    private final Seed seed;
    private final Outcomes outcomes;
    private final LeadingMessages leadingMessages = new LeadingMessages();
    private final HttpOperations http;
    private final StormSocket websocket;

    /** A storm on {@code 127.0.0.1:port}, aiming callback POSTs at the sockets in {@code ids}. */
    public Storm(Seed seed, int port, SocketIds ids, Outcomes outcomes) {
        this.seed = seed;
        this.outcomes = outcomes;
        this.http = new HttpOperations(port, ids, outcomes);
        this.websocket = new StormSocket(port, outcomes, leadingMessages);
    }

    /** @return how many of the first {@code operations} are of each kind: fixed by the seed */
    public Map<OperationKind, Integer> mix(int operations) {
        Map<OperationKind, Integer> mix = new EnumMap<>(OperationKind.class);
        for (int op = 0; op < operations; op++) {
            mix.merge(OperationKind.draw(seed.random(op)), 1, Integer::sum);
        }
        return mix;
    }

    /**
     * Runs operations 0 to {@code operations - 1} on {@code threads} threads.
     *
     * @return the failures of the operations answered wrongly, each naming the seed, the operation and its input
     * @throws AssertionError if they do not all finish within {@code within}
     */
    public List<String> run(int operations, int threads, Duration within) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < operations; i++) {
            int op = i;
            results.add(pool.submit(() -> run(op)));
        }
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        try {
            for (Future<String> f : results) {
                String failure = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (failure != null) {
                    failures.add(failure);
                }
            }
        } catch (TimeoutException e) {
            pool.shutdownNow();
            throw new AssertionError(seed.replay() + ": the storm did not finish within " + within.toSeconds() + " s", e);
        } finally {
            pool.shutdown();
        }
        return failures;
    }

    /** @return what the storm sockets sent, to check against what the backend was sent */
    public LeadingMessages leadingMessages() {
        return leadingMessages;
    }

    /** @return null, or what went wrong, with the input that did it */
    private String run(int op) {
        Random rnd = seed.random(op);
        OperationKind kind = OperationKind.draw(rnd);
        StringBuilder input = new StringBuilder();
        try {
            String wrong = switch (kind) {
                case RANDOM_BYTES -> http.randomBytes(rnd, input);
                case GARBLED_HTTP -> http.garbledHttp(op, rnd, input);
                case POST -> http.post(rnd, input);
                case WEBSOCKET -> websocket.run(op, rnd, input);
            };
            return wrong == null ? null : describe(op, kind, wrong, input);
        } catch (SocketTimeoutException e) {
            outcomes.count(kind + " hang");
            return describe(op, kind, "no answer and no close within " + FuzzLimits.SO_TIMEOUT_MS + " ms ("
                    + e.getMessage() + ")", input);
        } catch (Exception | AssertionError e) {
            return describe(op, kind, e.toString(), input);
        }
    }

    private String describe(int op, OperationKind kind, String wrong, StringBuilder input) {
        String in = input.length() > 600 ? input.substring(0, 600) + "…" : input.toString();
        return seed + " op " + op + " " + kind + ": " + wrong + " — input: " + in;
    }
}
