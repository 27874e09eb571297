package io.github.socketdock;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link WithoutMicrometerIT} in a JVM of its own: relays one message through a SocketDock
 * built without a meter registry, using only the JDK's WebSocket client, and exits 0 on the echo.
 */
public final class WithoutMicrometerMain {

    private WithoutMicrometerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (SocketDock dock = SocketDock.builder().port(0).backend(Backends.loopback()).build().start()) {
            CompletableFuture<String> echo = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + dock.port() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            echo.complete(data.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("ping", true).get(10, TimeUnit.SECONDS);
            String got = echo.get(10, TimeUnit.SECONDS);
            if (!got.equals("ping")) {
                throw new IllegalStateException("echo was " + got);
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
        System.out.println("relayed");
    }
}
