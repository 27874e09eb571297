package io.github.socketdock.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link MockMediator}'s stuck answers ({@link MockMediator#hold}): the kinds whose answers wait,
 * and the exchanges waiting, each with the status it is to get. Thread-safe.
 */
final class HeldAnswers {

    /** An answer held, and the status it is to get. */
    private record Held(HttpExchange exchange, int status) {
    }

    private final Set<MockMediator.Kind> holding = EnumSet.noneOf(MockMediator.Kind.class);
    private final List<Held> held = new ArrayList<>();
    private boolean closed;

    synchronized void hold(MockMediator.Kind kind) {
        holding.add(Objects.requireNonNull(kind, "kind"));
    }

    /**
     * Keeps the exchange unanswered if its kind is held. {@code publish} runs under the same lock,
     * after the decision, so an envelope is held before it can be taken: a release after the take
     * answers it.
     *
     * @return whether it is held (its answer is then this object's to send)
     */
    synchronized boolean holdIfAsked(MockMediator.Kind kind, HttpExchange exchange, int status, Runnable publish) {
        boolean hold = holding.contains(kind) && !closed;
        if (hold) {
            held.add(new Held(exchange, status));
        }
        publish.run();
        return hold;
    }

    /**
     * Stops holding any kind and answers every exchange held so far, oldest first.
     *
     * @return how many it answered or found gone
     */
    int release() {
        List<Held> answering;
        synchronized (this) {
            holding.clear();
            answering = List.copyOf(held);
            held.clear();
        }
        for (Held h : answering) {
            try (HttpExchange exchange = h.exchange()) {
                MockMediator.respond(exchange, h.status(), "");
            } catch (IOException e) {
                // SocketDock gave up waiting (its backend timeout) and closed the connection: nothing to answer
            }
        }
        return answering.size();
    }

    /** Cuts every held answer off; nothing is held from now on. */
    synchronized void close() {
        closed = true;
        holding.clear();
        held.forEach(h -> h.exchange().close());
        held.clear();
    }
}
