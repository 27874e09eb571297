package io.github.socketdock;

import io.github.socketdock.internal.common.Secrets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the control routes are served and who may call them. The control routes are those a
 * backend outside the process calls ({@code POST /socket/{id}/send},
 * {@code POST /socket/{id}/disconnect}) and {@code /status}, {@code /metrics}: whoever reaches them
 * can write to any socket.
 *
 * <p>By default ({@link #defaults()}) they share the public listener and require no token, as in
 * the original SocketDock. Guard them with bearer tokens, a listener of their own on an internal
 * interface, or both:
 *
 * <pre>{@code
 * SocketDock dock = SocketDock.builder()
 *         .controlApi(ControlApi.defaults()
 *                 .withListener("10.0.0.5", 8766)          // the public listener then serves only /ws
 *                 .withTokens(List.of(System.getenv("CONTROL_TOKEN"))))
 *         .endpoint(URI.create("http://10.0.0.5:8766"))   // where the backend reaches them
 *         .backend(backend)
 *         .build();
 * }</pre>
 *
 * <p>Immutable: each {@code with…} method checks its value and returns a new value, or throws
 * {@link IllegalArgumentException} with a message that names the setting. The tokens have no
 * getter ({@link #tokenCount()} says how many there are) and {@link #toString()} masks them; two
 * values are equal when listener and tokens are.
 */
public final class ControlApi {

    static {
        Secrets.grant(ControlApi.class, control -> control.tokens);
    }

    private static final ControlApi DEFAULTS = new ControlApi(null, 0, List.of());

    /** The own listener's address, or null when the routes share the public listener. */
    private final String host;
    private final int port;
    private final List<String> tokens;

    private ControlApi(String host, int port, List<String> tokens) {
        this.host = host;
        this.port = port;
        this.tokens = tokens;
    }

    /** @return the control routes on the public listener, no token required */
    public static ControlApi defaults() {
        return DEFAULTS;
    }

    /**
     * Serves the control routes on a listener of their own, so the public listener serves only
     * {@code /ws}. Point the {@linkplain SocketDock.Builder#endpoint(java.net.URI) endpoint} at it;
     * by default the endpoint is derived from this listener. It serves TLS when the public one does.
     *
     * @param host the address to bind, e.g. an internal interface
     * @param port the port, 0 for any free one (read it back with {@link SocketDock#controlPort()})
     * @return these settings with that listener
     * @throws IllegalArgumentException if the host is blank or the port out of range
     */
    public ControlApi withListener(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("control bind address must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("control port must be between 0 and 65535, got " + port);
        }
        return new ControlApi(host.strip(), port, tokens);
    }

    /** @return these settings with the control routes back on the public listener */
    public ControlApi withSharedListener() {
        return new ControlApi(null, 0, tokens);
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on the control routes; a request without one
     * of these tokens gets 401. Give two while rotating. Tokens are compared in constant time and
     * never logged. An empty list requires none.
     *
     * @param tokens at least 16 characters each, no whitespace
     * @return these settings with those tokens
     * @throws IllegalArgumentException if a token is too short or holds whitespace (the message
     *                                  never shows it)
     */
    public ControlApi withTokens(List<String> tokens) {
        Objects.requireNonNull(tokens, "control tokens");
        for (String t : tokens) {
            if (t == null || t.length() < 16 || t.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a control token must be at least 16 characters without whitespace");
            }
        }
        return new ControlApi(host, port, List.copyOf(tokens));
    }

    /** @return whether the control routes have a listener of their own */
    public boolean ownListener() {
        return host != null;
    }

    /** @return the address of their own listener; empty when they share the public listener */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /**
     * @return the port their own listener binds, 0 for any free one (the bound port is
     * {@link SocketDock#controlPort()}); 0 when they share the public listener
     */
    public int port() {
        return port;
    }

    /** @return whether a request to the control routes must carry one of the tokens */
    public boolean requiresToken() {
        return !tokens.isEmpty();
    }

    /** @return how many tokens open the control routes; 0 when none is required */
    public int tokenCount() {
        return tokens.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlApi c && Objects.equals(host, c.host) && port == c.port && tokens.equals(c.tokens);
    }

    /** @return a hash of the listener: nothing derived from the tokens leaves these settings */
    @Override
    public int hashCode() {
        return Objects.hash(host, port);
    }

    /** @return e.g. {@code ControlApi[listener=10.0.0.5:8766, controlTokens=2 (masked)]} */
    @Override
    public String toString() {
        return "ControlApi[" + settings() + "]";
    }

    /** @return the settings as {@code SocketDock.Builder}'s {@code control} group writes them */
    String settings() {
        return "listener=" + (host == null ? "shared" : host + ":" + port)
                + ", controlTokens=" + (tokens.isEmpty() ? "none" : tokens.size() + " (masked)");
    }
}
