/**
 * The SocketDock test kit: see {@link io.github.socketdock.testing.SocketDockExtension}.
 */
module io.github.socketdock.testing {
    exports io.github.socketdock.testing;

    requires transitive io.github.socketdock;
    // the extension is a type of this module's API
    requires transitive org.junit.jupiter.api;
    requires transitive java.net.http;
    requires jdk.httpserver;
    requires com.google.gson;
}
