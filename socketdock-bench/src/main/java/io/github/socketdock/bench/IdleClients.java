package io.github.socketdock.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * {@code idle --url ws://... --connections N}: one group of idle clients, in a process of its own
 * (a process may hold at most 20,000 open files). Says {@code READY port=0}, waits for a {@code go}
 * line, opens its connections, sends one message on each and waits for its echo, then says
 * {@code OPENED n=<open> echoed=<echoed> errors=<e> ms=<time>} and holds the connections until
 * stdin closes.
 */
final class IdleClients {

    private IdleClients() {
    }

    static void main(Args args) throws Exception {
        URI url = URI.create(args.string("url", null));
        int n = args.integer("connections", 1000);
        args.checkAllUsed();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (LoadGenerator gen = new LoadGenerator()) {
            System.out.println("READY port=0");
            System.out.flush();
            if (!"go".equals(in.readLine())) {
                return;
            }
            long start = System.nanoTime();
            List<LoadGenerator.Conn> conns = gen.open(url, n);
            long echoed = 0;
            for (LoadGenerator.Conn c : conns) {
                c.session.sendText("hello", Callback.NOOP);
            }
            for (LoadGenerator.Conn c : conns) {
                try {
                    if ("hello".equals(c.firstReply.get(60, TimeUnit.SECONDS))) {
                        echoed++;
                    } else {
                        gen.error("wrong echo");
                    }
                } catch (Exception e) {
                    gen.error("no echo: " + e);
                }
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("OPENED n=" + conns.size() + " echoed=" + echoed + " errors=" + gen.errors() + " ms=" + ms
                    + (gen.firstError() != null ? " first-error=" + gen.firstError().replace(' ', '_') : ""));
            System.out.flush();
            while (in.readLine() != null) {
                // hold the connections until the parent closes our stdin
            }
            CompletableFuture.allOf(conns.stream().map(c -> CompletableFuture.runAsync(c.session::close))
                    .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }
}
