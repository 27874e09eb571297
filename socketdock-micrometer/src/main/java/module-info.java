/**
 * Micrometer meters for SocketDock: see {@link io.github.socketdock.micrometer.SocketDockMeters}.
 */
// micrometer-core has no module descriptor; its jar names itself micrometer.core (Automatic-Module-Name).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.github.socketdock.micrometer {
    exports io.github.socketdock.micrometer;

    requires transitive io.github.socketdock;
    // the registry is a type of this module's API
    requires transitive micrometer.core;
}
