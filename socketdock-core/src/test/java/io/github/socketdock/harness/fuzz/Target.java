package io.github.socketdock.harness.fuzz;

/** Whose callback URL a storm POST names. */
public enum Target {
    /** One of the healthy sockets opened before the storm: it must stay open. */
    HEALTHY,
    /** A storm socket, alive or already gone. */
    STORM,
    /** A well-formed id that is no socket's. */
    UNKNOWN,
    /** Not an id at all. */
    MALFORMED
}
