package io.github.socketdock.internal.net;

import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a WebSocket. A pattern is {@code scheme://host[:port]}: an
 * exact origin ({@code https://app.example.com}) or one whose host has wildcard labels
 * ({@code https://*.example.com}), a {@code *} standing for one or more whole labels.
 *
 * <p>An origin matches only as a whole: the same scheme, the host label by label (case ignored),
 * and the same port (a missing port is the scheme's default, so {@code https://a.example.com}
 * and {@code https://a.example.com:443} are one origin). An origin that is not exactly
 * {@code scheme://host[:port]} — one with a path, query, fragment, userinfo, an empty label or a
 * trailing dot, or {@code null} — matches no pattern, so {@code https://evil.com?.example.com}
 * is refused by {@code https://*.example.com}. An upgrade without an {@code Origin} header (a
 * native agent) is always allowed; so is every origin when the list is empty.
 */
public final class OriginPolicy {

    private final List<Origin> allowed;

    /** @param allowed patterns, each already checked by {@link #pattern(String)} */
    public OriginPolicy(List<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::pattern).toList();
    }

    /** @return whether an upgrade with this {@code Origin} header value (null: none) may go on */
    public boolean allows(String origin) {
        if (origin == null || allowed.isEmpty()) {
            return true;
        }
        Origin o = Origin.parse(origin.strip(), false);
        if (o == null) {
            return false;
        }
        for (Origin pattern : allowed) {
            if (pattern.matches(o)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the parsed pattern
     * @throws IllegalArgumentException unless it is {@code scheme://host[:port]}, wildcard labels allowed
     */
    /**
     * @return the origin pattern, stripped
     * @throws IllegalArgumentException unless it is scheme://host[:port], whole labels of the host may be {@code *}
     */
    public static String checked(String pattern) {
        pattern(pattern);
        return pattern.strip();
    }

    static Origin pattern(String pattern) {
        Origin p = pattern == null ? null : Origin.parse(pattern.strip(), true);
        if (p == null || p.labels.length == 1 && p.labels[0].equals("*")) {
            throw new IllegalArgumentException("an allowed origin must look like https://app.example.com or "
                    + "https://*.example.com (scheme, host, optional port; no path), got '" + pattern + "'");
        }
        return p;
    }

    /** A parsed origin or pattern: lower-case scheme, host labels (or one IPv6 literal), effective port. */
    record Origin(String scheme, String[] labels, int port) {

        /**
         * @param wildcards whether a label may be {@code *} (patterns only)
         * @return the origin, or null unless the text is exactly {@code scheme://host[:port]}
         */
        static Origin parse(String text, boolean wildcards) {
            String s = text.toLowerCase(Locale.ROOT);
            int sep = s.indexOf("://");
            if (sep <= 0 || !s.substring(0, sep).matches("[a-z][a-z0-9+.-]*")) {
                return null;
            }
            String scheme = s.substring(0, sep);
            String rest = s.substring(sep + 3);
            String host;
            String port = null;
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0 || !rest.substring(1, close).matches("[0-9a-f:.]+")) {
                    return null;
                }
                host = rest.substring(0, close + 1);
                String after = rest.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        return null;
                    }
                    port = after.substring(1);
                }
                return withPort(scheme, new String[] {host}, port);
            }
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            port = colon < 0 ? null : rest.substring(colon + 1);
            String[] labels = host.split("\\.", -1);
            for (String label : labels) {
                boolean ok = wildcards && label.equals("*") || label.matches("[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?");
                if (!ok) {
                    return null; // empty label (trailing or doubled dot), or a character no host has
                }
            }
            return withPort(scheme, labels, port);
        }

        private static Origin withPort(String scheme, String[] labels, String port) {
            if (port == null) {
                return new Origin(scheme, labels, defaultPort(scheme));
            }
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
                return null;
            }
            return new Origin(scheme, labels, Integer.parseInt(port));
        }

        private static int defaultPort(String scheme) {
            return switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                default -> -1;
            };
        }

        /** @return whether {@code origin} (no wildcards) is one this pattern stands for */
        boolean matches(Origin origin) {
            return scheme.equals(origin.scheme) && port == origin.port && matchLabels(0, origin.labels, 0);
        }

        /** Label by label; a {@code *} takes one or more whole labels. */
        private boolean matchLabels(int p, String[] host, int h) {
            if (p == labels.length) {
                return h == host.length;
            }
            if (labels[p].equals("*")) {
                for (int end = h + 1; end <= host.length; end++) {
                    if (matchLabels(p + 1, host, end)) {
                        return true;
                    }
                }
                return false;
            }
            return h < host.length && labels[p].equals(host[h]) && matchLabels(p + 1, host, h + 1);
        }

        @Override
        public String toString() {
            return scheme + "://" + String.join(".", labels) + ":" + port;
        }
    }
}
