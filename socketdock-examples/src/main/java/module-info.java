/**
 * Compiled, tested examples of embedding SocketDock, built as a named module that uses
 * {@code io.github.socketdock} as a module too: an import of {@code io.github.socketdock.internal}
 * here fails compilation, exactly as it would in an application's module.
 */
module io.github.socketdock.examples {
    // transitive: the examples' own public methods take and return SocketDock types
    requires transitive io.github.socketdock;
    // MountedOnJetty and MountedOnJavalin: the adapters, and the host types their records hold
    requires transitive io.github.socketdock.jetty;
    requires transitive io.github.socketdock.javalin;
    requires transitive io.javalin;

    exports io.github.socketdock.examples;
}
