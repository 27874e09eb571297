package io.github.socketdock.internal;

import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a WebSocket: exact origins ({@code https://app.example.com}) or
 * wildcard subdomains ({@code https://*.example.com}, matching any host ending in
 * {@code .example.com} with that scheme and port). An upgrade without an {@code Origin} header —
 * a native agent — is always allowed; so is every origin when the list is empty.
 */
final class OriginPolicy {

    private final List<String> allowed;

    OriginPolicy(List<String> allowed) {
        this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    boolean allows(String origin) {
        if (origin == null || allowed.isEmpty()) {
            return true;
        }
        String o = origin.strip().toLowerCase(Locale.ROOT);
        for (String pattern : allowed) {
            int star = pattern.indexOf("://*.");
            if (star < 0) {
                if (pattern.equals(o)) {
                    return true;
                }
                continue;
            }
            String scheme = pattern.substring(0, star + 3);
            String suffix = pattern.substring(star + 4);
            if (o.startsWith(scheme) && o.endsWith(suffix) && o.length() > scheme.length() + suffix.length()
                    && o.indexOf('/', scheme.length()) < 0) {
                return true;
            }
        }
        return false;
    }
}
