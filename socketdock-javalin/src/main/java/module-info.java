/**
 * Mounts SocketDock on a Javalin 7 app: see {@link io.github.socketdock.javalin.SocketDockJavalin}.
 */
module io.github.socketdock.javalin {
    exports io.github.socketdock.javalin;

    requires transitive io.github.socketdock;
    requires io.github.socketdock.jetty;
    requires org.slf4j;
    // the app's JavalinConfig appears in this module's API; the application brings Javalin 7
    requires transitive io.javalin;
}
