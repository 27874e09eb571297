package io.github.socketdock.examples;

import io.github.socketdock.Backends;
import io.github.socketdock.SocketDock;
import io.github.socketdock.http.HttpBackendOptions;
import java.net.URI;
import java.time.Duration;

/**
 * The relay embedded in a Java application, relaying to a mediator over HTTP exactly as the
 * command line does with {@code --backend http}.
 */
public final class EmbeddedHttpRelay {

    private EmbeddedHttpRelay() {
    }

    /**
     * Starts a relay that POSTs connects, messages and disconnects to {@code mediator}.
     *
     * @param mediator base URL of the mediator, e.g. {@code http://127.0.0.1:3000}
     * @param port     the port, 0 for any free one
     * @return the started SocketDock; close it when done
     */
    public static SocketDock start(URI mediator, int port) {
        HttpBackendOptions options = HttpBackendOptions.builder(mediator.resolve("/message"))
                .connectUri(mediator.resolve("/connect"))
                .disconnectUri(mediator.resolve("/disconnect"))
                .timeout(Duration.ofSeconds(10))
                .build();
        return SocketDock.builder()
                .port(port)
                .backend(Backends.http(options))
                .build()
                .start();
    }

    /** Relays port 8765 to the mediator at the first argument (default http://127.0.0.1:3000). */
    public static void main(String[] args) throws InterruptedException {
        SocketDock dock = start(URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:3000"), SocketDock.DEFAULT_PORT);
        Runtime.getRuntime().addShutdownHook(new Thread(dock::close, "socketdock-shutdown"));
        System.out.println("relaying " + dock.uri() + "; callbacks at " + dock.endpoint());
        Thread.currentThread().join();
    }
}
