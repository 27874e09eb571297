package io.github.socketdock.internal.relay;

import io.github.socketdock.ConnectMode;
import io.github.socketdock.Limits;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.Logs;
import io.github.socketdock.internal.net.ClientAddress;
import io.github.socketdock.internal.net.OriginPolicy;
import io.github.socketdock.internal.wire.WireFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;

/**
 * The upgrades of {@code /ws} for {@link RelayCore}: the WebSocket limits of every socket, the
 * connect gate in {@code AUTHORIZE} mode, and each upgrade's admission (draining, origins,
 * connection limits), refused with its status and one rate-limited line.
 */
final class Upgrades {

    /** Frames Jetty may queue per connection: above our own bound, so Jetty never refuses first. */
    private static final int JETTY_MAX_OUTGOING_FRAMES = OutboundQueue.MAX_QUEUED_FRAMES + 64;
    /** Largest fragment handed to the endpoint; larger frames are split, so each read is bounded. */
    private static final long MAX_FRAGMENT = 64 * 1024;

    private final Settings settings;
    private final Admissions admissions;
    private final OriginPolicy origins;
    private final LimitedLog limitedLog;
    private final Supplier<DockContext> context;
    private final BooleanSupplier draining;

    /**
     * @param context  what a new connection is made with; set once the core started
     * @param draining whether the core drains: every upgrade is then refused with 503
     */
    Upgrades(Settings settings, Admissions admissions, LimitedLog limitedLog, Supplier<DockContext> context,
             BooleanSupplier draining) {
        this.settings = settings;
        this.admissions = admissions;
        this.origins = new OriginPolicy(settings.listen().allowedOrigins());
        this.limitedLog = limitedLog;
        this.context = context;
        this.draining = draining;
    }

    /** Sets the WebSocket limits of every socket: message and fragment size, outgoing frames, no idle timeout. */
    void configure(Configuration container) {
        Limits limits = settings.limits();
        container.setMaxTextMessageSize(limits.maxMessageSize());
        container.setMaxBinaryMessageSize(limits.maxMessageSize());
        container.setMaxFrameSize(MAX_FRAGMENT);
        container.setAutoFragment(true);
        container.setIdleTimeout(Duration.ZERO);
        container.setMaxOutgoingFrames(JETTY_MAX_OUTGOING_FRAMES);
    }

    /**
     * Call once, for the one upgrade handler of this core.
     *
     * @return {@code upgrade} behind the connect gate when the backend decides each upgrade
     *     ({@code AUTHORIZE}); else {@code upgrade} itself
     */
    Handler gate(Handler upgrade) {
        return settings.connect().mode() == ConnectMode.AUTHORIZE
                ? new ConnectGate(upgrade, context, r -> {
                    checkUpgrade(r);
                    return null;
                }, this::admit)
                : upgrade;
    }

    /**
     * The endpoint of an upgrade to {@code /ws}: the connection the gate accepted, or a new one; or
     * null once the refusal is written (503 draining, 403 origin, 429/503 over the limits, 400 an
     * upgrade the gate did not decide in {@code AUTHORIZE} mode).
     */
    FrameHandler accept(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        RelayConnection accepted = (RelayConnection) request.getAttribute(ConnectGate.ACCEPTED);
        RelayConnection c;
        try {
            checkUpgrade(request);
            if (accepted != null) {
                c = accepted;
            } else if (settings.connect().mode() == ConnectMode.AUTHORIZE) {
                // fail closed: in AUTHORIZE mode every upgrade must have passed the gate
                throw new UpgradeRefused(HttpStatus.BAD_REQUEST_400, "upgrade not decided by the backend");
            } else {
                c = new RelayConnection(context.get(), admit(request), WireFormat.headers(request.getHeaders()),
                        ClientAddress.of(request));
            }
        } catch (UpgradeRefused e) {
            if (accepted != null) {
                accepted.abandon(e);
            }
            Response.writeError(request, response, callback, e.status(), e.getMessage());
            return null;
        }
        if (!settings.listen().compression()) {
            response.setExtensions(List.of());
        }
        return c;
    }

    /** @throws UpgradeRefused if an upgrade must be refused now: draining (503), or an origin not allowed (403) */
    private void checkUpgrade(Request request) throws UpgradeRefused {
        if (draining.getAsBoolean()) {
            throw refused(request, new UpgradeRefused(HttpStatus.SERVICE_UNAVAILABLE_503, "shutting down"));
        }
        for (String origin : request.getHeaders().getValuesList(HttpHeader.ORIGIN)) {
            if (!origins.allows(origin)) {
                throw refused(request, new UpgradeRefused(HttpStatus.FORBIDDEN_403, "origin not allowed"));
            }
        }
    }

    /** @return the upgrade's admission under the connection limits; @throws UpgradeRefused (503 or 429) if over them */
    private Admissions.Admission admit(Request request) throws UpgradeRefused {
        try {
            InetSocketAddress remote = ClientAddress.of(request);
            InetAddress address = remote != null ? remote.getAddress() : null;
            return admissions.admit(address);
        } catch (UpgradeRefused e) {
            throw refused(request, e);
        }
    }

    /** @return the refusal, logged once with the client's address (an upgrade is refused at its first refusal) */
    private UpgradeRefused refused(Request request, UpgradeRefused refusal) {
        limitedLog.log(LimitedLog.Kind.REFUSED, "upgrade from {} refused with {}: {}",
                Logs.address(ClientAddress.of(request)), refusal.status(), refusal.getMessage());
        return refusal;
    }
}
