package io.github.socketdock.internal;

import io.github.socketdock.ConnectionRefusedException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ConnectMode.AUTHORIZE}: placed in front of the WebSocket upgrade handler, it asks the
 * backend about each upgrade of {@code /ws} before the handshake, holding no thread while it waits.
 * Accepted: the upgrade goes on from the thread that brought the answer, and the endpoint takes
 * over the {@link PendingConnection}. Refused: the client gets the refusal's status (4xx), or 503
 * for any other failure, and the backend hears nothing more of it.
 */
final class ConnectGate extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectGate.class);
    /** Request attribute carrying the accepted connection to the WebSocket creator. */
    static final String ACCEPTED = ConnectGate.class.getName() + ".accepted";

    private final Supplier<DockContext> context;
    private final UpgradeChecks checks;
    private final UpgradeChecks admission;
    private final java.util.function.Consumer<Request> release;

    /** The checks every upgrade passes before the backend is asked (and again when it is created). */
    interface UpgradeChecks {
        /** @return null if the upgrade may go on, else why not, with its status */
        Refusal check(Request request);
    }

    /** Why an upgrade is refused. */
    record Refusal(int status, String why) {
    }

    /**
     * @param checks    draining and origin, before the backend is asked and again after
     * @param admission the connection limits: admits (counts) the upgrade before the backend is
     *                  asked, so a refused or over-limit client costs the backend nothing
     * @param release   gives the admission back when the upgrade does not happen
     */
    ConnectGate(Handler upgrade, Supplier<DockContext> context, UpgradeChecks checks, UpgradeChecks admission,
                java.util.function.Consumer<Request> release) {
        super(upgrade);
        this.context = context;
        this.checks = checks;
        this.admission = admission;
        this.release = release;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!isUpgrade(request)) {
            return super.handle(request, response, callback);
        }
        Refusal early = checks.check(request);
        if (early == null) {
            early = admission.check(request);
        }
        if (early != null) {
            Response.writeError(request, response, callback, early.status(), early.why());
            return true;
        }
        DockContext dock = context.get();
        PendingConnection pending = new PendingConnection(ConnectionIds.next(), WireFormat.headers(request.getHeaders()),
                ClientAddress.of(request), dock.endpoint());
        dock.registry().pending(pending);
        Stages.call(() -> dock.backend().onConnect(pending)).whenComplete((v, failure) ->
                request.getContext().execute(() -> decided(request, response, callback, pending, failure)));
        return true;
    }

    private void decided(Request request, Response response, Callback callback, PendingConnection pending,
                         Throwable failure) {
        Refusal late = failure == null ? checks.check(request) : null;
        if (failure == null && late == null) {
            request.setAttribute(ACCEPTED, pending);
            try {
                if (super.handle(request, response, callback)) {
                    return;
                }
            } catch (Throwable t) {
                LOG.debug("connection {}: upgrade failed after the backend accepted it: {}", pending.id(), t.toString());
            }
            dockOf().registry().notPending(pending.id());
            pending.abandon();
            release.accept(request);
            if (!response.isCommitted()) {
                Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "upgrade failed");
            }
            return;
        }
        dockOf().registry().notPending(pending.id());
        pending.abandon();
        release.accept(request);
        int status = late != null ? late.status() : statusOf(failure);
        LOG.info("connection {} from {} refused with {}", pending.id(), pending.remoteAddress(), status);
        Response.writeError(request, response, callback, status, late != null ? late.why() : "connection refused");
    }

    private DockContext dockOf() {
        return context.get();
    }

    private static int statusOf(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ConnectionRefusedException ? ((ConnectionRefusedException) t).status()
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
