package io.github.socketdock.internal.common;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The checks the public builders run on a value as it is set, each with the one-line message that
 * names the setting: shared by {@code SocketDock.Builder} and {@code HttpBackendOptions.Builder}.
 */
public final class Require {

    private Require() {
    }

    /** @return {@code d}; @throws IllegalArgumentException if it is negative */
    public static Duration notNegative(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return d;
    }

    /** @return {@code d}; @throws IllegalArgumentException if it is zero or negative */
    public static Duration positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

    /** @return {@code file}; @throws IllegalArgumentException if it cannot be read */
    public static Path readable(String what, Path file) {
        Objects.requireNonNull(file, what);
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " " + file + " does not exist or cannot be read");
        }
        return file;
    }

    /** @return {@code uri}; @throws IllegalArgumentException unless it is an absolute http(s) URL with a host */
    public static URI httpUrl(String what, URI uri) {
        Objects.requireNonNull(uri, what);
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException(what + " must be an absolute http:// or https:// URL, got '" + uri + "'");
        }
        return uri;
    }
}
