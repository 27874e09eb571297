package io.github.socketdock.internal.server;

import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.LogText;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.net.ClientAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Who may call the control routes: a request must carry {@code Authorization: Bearer <token>} with
 * one of the configured tokens, when any are configured. Tokens are compared as SHA-256 digests
 * with {@link MessageDigest#isEqual}, so neither their content nor their length leaks through
 * timing; they are never logged.
 */
final class ControlAccess {

    private final List<byte[]> digests;
    private final LimitedLog log;

    /**
     * @param tokens the tokens that open the routes; none: the routes are open
     * @param log    where a refused request is told (WARN, rate-limited)
     */
    ControlAccess(List<String> tokens, LimitedLog log) {
        this.digests = tokens.stream().map(ControlAccess::digest).toList();
        this.log = log;
    }

    /** @return whether tokens are required at all */
    boolean required() {
        return !digests.isEmpty();
    }

    /** Wraps a control route: without a valid token it answers 401 with {@code WWW-Authenticate: Bearer}. */
    Router.Route guard(Router.Route route) {
        if (!required()) {
            return route;
        }
        return (request, response, callback, params) -> {
            if (allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                route.handle(request, response, callback, params);
            } else {
                log.log(LimitedLog.Kind.CONTROL_REFUSED, "{} {} from {} refused with 401: {}", request.getMethod(),
                        LogText.printable(request.getHttpURI().getPath()), Logs.address(ClientAddress.of(request)),
                        request.getHeaders().contains(HttpHeader.AUTHORIZATION) ? "wrong control token" : "no control token");
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"socketdock\"");
                Answers.afterBody(request, response, callback, HttpStatus.UNAUTHORIZED_401,
                        "this route needs Authorization: Bearer <control token>");
            }
        };
    }

    boolean allows(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = digest(authorization.substring(7).strip());
        boolean ok = false;
        for (byte[] d : digests) {
            ok |= MessageDigest.isEqual(d, given);
        }
        return ok;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
