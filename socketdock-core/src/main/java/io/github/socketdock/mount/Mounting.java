package io.github.socketdock.mount;

import io.github.socketdock.SocketDock;
import io.github.socketdock.internal.common.Ticker;
import io.github.socketdock.internal.relay.Settings;
import io.github.socketdock.internal.server.MountedDock;
import io.github.socketdock.internal.server.RunningDock;
import java.util.Objects;
import java.util.function.BiFunction;
import org.eclipse.jetty.server.Server;

/**
 * The one door the adapter modules ({@code socketdock-jetty}, {@code socketdock-javalin}) use to
 * mount a SocketDock on a host's Jetty {@code Server}. Exported to those modules only; not an API.
 */
public final class Mounting {

    /** What {@code SocketDock} grants: build a builder's settings into a SocketDock that runs where {@code mount} puts it. */
    public interface Grant {
        /**
         * @param builder the user's builder
         * @param mount   makes the running relay from the validated settings and the relay's time
         * @return the SocketDock, mounted
         */
        SocketDock build(SocketDock.Builder builder, BiFunction<Settings, Ticker, RunningDock> mount);
    }

    private static volatile Grant grant;

    private Mounting() {
    }

    /**
     * Called once, by {@code SocketDock}'s class initialiser.
     *
     * @param g what SocketDock grants
     */
    public static void grant(Grant g) {
        synchronized (Mounting.class) {
            if (grant != null) {
                throw new IllegalStateException("already granted");
            }
            grant = Objects.requireNonNull(g);
        }
    }

    /**
     * Mounts the SocketDock that {@code builder} describes on {@code host} under {@code prefix};
     * it starts when the host starts and drains when the host begins to stop (or when closed).
     *
     * @param builder          the user's builder, built here
     * @param host             the host server, not started
     * @param prefix           the path the relay lives under, e.g. {@code /relay}
     * @param controlConnector the name of the host connector that alone serves the control routes, or null
     * @return the SocketDock, not started until the host is
     * @throws IllegalArgumentException if the settings do not fit a mounted SocketDock
     * @throws IllegalStateException    if the host is already started
     */
    public static SocketDock mount(SocketDock.Builder builder, Server host, String prefix, String controlConnector) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(host, "host server");
        SocketDock.version(); // initialises SocketDock, which grants
        MountedDock[] made = new MountedDock[1];
        SocketDock dock = grant.build(builder, (settings, ticker) -> {
            made[0] = MountedDock.mount(settings, ticker, host, prefix, controlConnector);
            return made[0];
        });
        made[0].onHostStopping(dock::close);
        return dock;
    }
}
