package io.github.socketdock.internal.wire;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Connection ids: 128 random bits from {@link SecureRandom}, as 32 lower-case hex characters. */
public final class ConnectionIds {

    private static final Pattern WELL_FORMED = Pattern.compile("[0-9a-f]{32}");
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConnectionIds() {
    }

    /** @return a new id */
    public static String next() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return HEX.formatHex(bits);
    }

    /** @return whether {@code id} has the form of an id (it may still be unknown) */
    public static boolean isWellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }
}
