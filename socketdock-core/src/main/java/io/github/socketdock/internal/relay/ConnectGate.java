package io.github.socketdock.internal.relay;

import io.github.socketdock.ConnectionRefusedException;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.net.ClientAddress;
import io.github.socketdock.internal.wire.WireFormat;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;

/**
 * {@code ConnectMode.AUTHORIZE}: placed in front of the WebSocket upgrade handler, it asks the
 * backend about each upgrade of {@code /ws} before the handshake, holding no thread while it waits.
 * The {@link RelayConnection} exists from the moment it is admitted, so sends to its callback URL
 * wait for it. Accepted: the upgrade goes on from the thread that brought the answer, and the
 * WebSocket creator hands Jetty that connection. Refused: the client gets the refusal's status
 * (4xx), or 503 for any other failure or a decision not made within the connect decision timeout,
 * and the backend hears nothing more of it.
 */
final class ConnectGate extends Handler.Wrapper {

    private static final Logger LOG = Logs.CONNECTIONS;
    /** Request attribute carrying the accepted connection to the WebSocket creator. */
    static final String ACCEPTED = ConnectGate.class.getName() + ".accepted";

    /** Checks an upgrade must pass; the admission is one, the draining and the origin another. */
    interface Check<T> {
        T check(Request request) throws UpgradeRefused;
    }

    private final Supplier<DockContext> context;
    private final Check<Void> checks;
    private final Check<Admissions.Admission> admission;

    /**
     * @param checks    draining and origin, before the backend is asked and again after
     * @param admission the connection limits: admits (counts) the upgrade before the backend is
     *                  asked, so a refused or over-limit client costs the backend nothing
     */
    ConnectGate(Handler upgrade, Supplier<DockContext> context, Check<Void> checks, Check<Admissions.Admission> admission) {
        super(upgrade);
        this.context = context;
        this.checks = checks;
        this.admission = admission;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!isUpgrade(request)) {
            return super.handle(request, response, callback);
        }
        Admissions.Admission admitted;
        try {
            checks.check(request);
            admitted = admission.check(request);
        } catch (UpgradeRefused e) {
            Response.writeError(request, response, callback, e.status(), e.getMessage());
            return true;
        }
        DockContext dock = context.get();
        RelayConnection c = new RelayConnection(dock, admitted, WireFormat.headers(request.getHeaders()),
                ClientAddress.of(request));
        dock.registry().add(c);
        c.decide().whenComplete((v, failure) ->
                request.getContext().execute(() -> decided(request, response, callback, c, failure)));
        return true;
    }

    private void decided(Request request, Response response, Callback callback, RelayConnection c, Throwable failure) {
        UpgradeRefused late = null;
        if (failure == null) {
            try {
                checks.check(request);
            } catch (UpgradeRefused e) {
                late = e;
            }
        }
        if (failure == null && late == null) {
            request.setAttribute(ACCEPTED, c);
            try {
                if (super.handle(request, response, callback)) {
                    return;
                }
            } catch (Throwable t) {
                try (Logs.Scope ignored = Logs.connection(c.id(), c.remoteAddress())) {
                    LOG.debug("connection {}: upgrade failed after the backend accepted it: {}", c.id(), t.toString());
                }
            }
            c.abandon(new IllegalStateException("the upgrade failed after the backend accepted it"));
            if (!response.isCommitted()) {
                Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "upgrade failed");
            }
            return;
        }
        Throwable why = late != null ? late : failure;
        c.abandon(why);
        int status = late != null ? late.status() : statusOf(failure);
        String text = late != null ? late.getMessage()
                : unwrap(failure) instanceof TimeoutException ? "the backend did not decide in time" : "connection refused";
        context.get().limitedLog().log(LimitedLog.Kind.REFUSED, c.id(), c.remoteAddress(),
                "connection {} from {} refused with {}: {}", c.id(), Logs.address(c.remoteAddress()), status, text);
        Response.writeError(request, response, callback, status, text);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static int statusOf(Throwable failure) {
        return unwrap(failure) instanceof ConnectionRefusedException refused ? refused.status()
                : HttpStatus.SERVICE_UNAVAILABLE_503;
    }

    /**
     * Whether Jetty would take this request as a WebSocket upgrade: any {@code Upgrade} value (on
     * any line, comma-separated) naming websocket. Anything the gate lets past without a decision
     * is refused by the creator anyway (it fails closed).
     */
    private static boolean isUpgrade(Request request) {
        if (!"GET".equals(request.getMethod()) || !WireFormat.WEBSOCKET_PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        for (String line : request.getHeaders().getValuesList(HttpHeader.UPGRADE)) {
            for (String token : line.split(",")) {
                if (token.strip().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }
}
