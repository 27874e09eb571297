package io.github.socketdock.harness.fuzz;

import java.util.Set;

/**
 * The limits the storm is built around: the relay under test is configured with them, the
 * generators aim just inside and just outside them, and the checks derive expected answers and
 * close codes from them.
 */
public final class FuzzLimits {

    /** The relay's maximum message size ({@code maxMessageSize}). */
    public static final int MAX_MESSAGE = 64 * 1024;
    /** The largest disconnect body the relay reads. */
    public static final int MAX_DISCONNECT_BODY = 4096;
    /** How long a storm socket waits to connect, and for each read. */
    public static final int SO_TIMEOUT_MS = 5000;
    /** Codes a storm disconnect POST asks for; a socket closed with one was closed by the storm. */
    static final int[] STORM_DISCONNECT_CODES = {3000, 4000, 4321, 4999};
    /** Codes a storm socket politely closes with itself; the server echoes them. */
    static final int[] CLIENT_CLOSE_CODES = {1000, 1001, 3001, 4001};
    /** Every close code the server may send a storm socket. */
    static final Set<Integer> ALLOWED_CLOSE_CODES = Set.of(1000, 1001, 1002, 1007, 1009,
            3000, 3001, 4000, 4001, 4321, 4999);

    private FuzzLimits() {
    }
}
