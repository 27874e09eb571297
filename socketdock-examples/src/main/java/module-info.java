/**
 * Compiled, tested examples of embedding SocketDock, built as a named module that uses
 * {@code io.github.socketdock} as a module too: an import of {@code io.github.socketdock.internal}
 * here fails compilation, exactly as it would in an application's module.
 */
module io.github.socketdock.examples {
    // transitive: the examples' own public methods take and return SocketDock types
    requires transitive io.github.socketdock;

    exports io.github.socketdock.examples;
}
