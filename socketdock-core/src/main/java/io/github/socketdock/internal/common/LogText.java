package io.github.socketdock.internal.common;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Text fit for a log line: failures told briefly, client-chosen strings made harmless, counts with
 * their noun in the right number, durations and sizes written as the command line takes them
 * ({@code 140ms}, {@code 20s}, {@code 4MiB}).
 */
public final class LogText {

    private LogText() {
    }

    /** A client-chosen string made safe for a log line: control characters escaped, no line breaks. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f || ch == 0x2028 || ch == 0x2029) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * @param n    a count
     * @param noun its noun in the singular, made plural by an {@code s}
     * @return e.g. {@code 1 message}, {@code 2 messages}, {@code 0 messages}
     */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * A duration in the largest unit that writes it exactly, as the command line reads it:
     * {@code 140ms}, {@code 20s}, {@code 2m}, {@code 1h}, {@code 1500ms}, {@code 0}; below a
     * millisecond in microseconds ({@code 250us}); null as {@code off}.
     *
     * @param d a duration, or null
     * @return its text
     */
    public static String duration(Duration d) {
        if (d == null) {
            return "off";
        }
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0";
        }
        String sign = nanos < 0 ? "-" : "";
        long n = Math.abs(nanos);
        long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] names = {"h", "m", "s", "ms", "us"};
        for (int i = 0; i < units.length; i++) {
            if (n % units[i] == 0) {
                return sign + n / units[i] + names[i];
            }
        }
        if (n >= 1_000_000L) {
            return sign + n / 1_000_000L + "ms"; // sub-millisecond remainders dropped
        }
        return sign + n / 1_000L + "us";
    }

    /**
     * A time that passed, rounded for reading: {@code 140ms} under a second, {@code 12.3s} under a
     * minute, {@code 12m 3s} under an hour, {@code 3h 2m} beyond.
     *
     * @param d a duration
     * @return its text
     */
    public static String elapsed(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return (ms / 100) / 10 + "." + (ms / 100) % 10 + "s";
        }
        long s = ms / 1_000;
        if (s < 3_600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s / 3_600 + "h " + (s % 3_600) / 60 + "m";
    }

    /**
     * A timeout that zero turns off, as the command line reads it: {@code off} for zero, else as
     * {@link #duration(Duration)} writes it.
     *
     * @param d a duration, zero for off
     * @return its text
     */
    public static String timeout(Duration d) {
        return d.isZero() ? "off" : duration(d);
    }

    /**
     * A size in the largest binary unit that writes it exactly, as the command line reads it:
     * {@code 4MiB}, {@code 16KiB}, {@code 1000} (bytes).
     *
     * @param bytes a size in bytes
     * @return its text
     */
    public static String size(long bytes) {
        String[] names = {"GiB", "MiB", "KiB"};
        long[] units = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % units[i] == 0) {
                return bytes / units[i] + names[i];
            }
        }
        return Long.toString(bytes);
    }

    /** @return the failure's type and message, unwrapped from completion wrappers */
    public static String rootMessage(Throwable x) {
        Throwable t = x;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * @param remote an address, or null
     * @return its IP address as text without a port ({@code 203.0.113.7}, {@code 2001:db8:0:0:0:0:0:1}),
     *         its host name when it is unresolved, or null
     */
    public static String ip(java.net.InetSocketAddress remote) {
        if (remote == null) {
            return null;
        }
        java.net.InetAddress address = remote.getAddress();
        return address != null ? address.getHostAddress() : remote.getHostString();
    }
}
