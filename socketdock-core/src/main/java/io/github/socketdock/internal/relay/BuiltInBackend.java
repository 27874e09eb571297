package io.github.socketdock.internal.relay;

import io.github.socketdock.Backend;
import io.github.socketdock.ConnectMode;
import java.time.Duration;

/**
 * A backend of SocketDock's own ({@code http}, {@code loopback}): started with the {@link Relay} it
 * serves instead of {@link Backend#start()}, so it counts into the relay's budget and counters,
 * waits on its ticker and closes a socket through the relay's one rule; and asked at build time
 * whether the settings suit it. An embedder's backend is neither asked nor handed anything.
 */
public interface BuiltInBackend extends Backend {

    /** Starts the backend for {@code relay}; called once, instead of {@link #start()}. */
    void start(Relay relay) throws Exception;

    /** Started alone (say, by an embedder's backend that wraps this one): on a relay of its own. */
    @Override
    default void start() throws Exception {
        start(Relay.detached());
    }

    /**
     * @param connectMode       the relay's connect mode
     * @param callbacksNeedPath whether the callback routes are reachable only through the public
     *                          listener while it requires a PROXY protocol header
     * @return why these settings cannot work with this backend, as one line naming the settings; or null
     */
    default String misfit(ConnectMode connectMode, boolean callbacksNeedPath) {
        return null;
    }

    /** @return what the close line of {@code connection} should add of this backend's (one short clause), or null */
    default String closeSummary(io.github.socketdock.Connection connection) {
        return null;
    }

    /**
     * Waits up to {@code timeout} for the backend's own work under way (requests to a mediator) to
     * end; answers awaited of messages already delivered are not waited for.
     *
     * @return true if nothing was left under way, false if the timeout passed first
     */
    default boolean awaitIdle(Duration timeout) throws InterruptedException {
        return true;
    }
}
