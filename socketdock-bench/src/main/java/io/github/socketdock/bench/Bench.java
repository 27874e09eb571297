package io.github.socketdock.bench;

import java.net.URI;

/**
 * The bench's entry point: {@code java -jar socketdock-bench/target/socketdock-bench.jar <command>}.
 *
 * <pre>
 * run [--scenarios loopback,http,ingress,idle,compare] [--connections 64] [--size 1024]
 *     [--warmup 20] [--duration 20] [--http-connections 64,16] [--open-rate 2000]
 *     [--idle-connections 15000] [--idle-per-process 5000] [--idle-rounds 3] [--rounds 3]
 *     [--relay-jvm -Xmx512m,-Djdk.nio.maxCachedBufferSize=262144,-XX:+UseParallelGC,-Xmn32m]
 *     [--out socketdock-bench/results] [--name latest]
 * load --url ws://host:port/path [--mode closed|open|one_way] [--rate R] [--connections 64] ...
 * relay --backend loopback|http [--backend-url URL]     (a child: the relay under test)
 * echo-server | backend | idle --url URL --connections N (children)
 * </pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: bench run|load|relay|echo-server|backend|idle [options]; see the README's Performance section");
            System.exit(2);
        }
        try {
            Args args = new Args(argv, 1);
            switch (argv[0]) {
                case "run" -> Runner.main(args, String.join(" ", argv));
                case "load" -> load(args);
                case "relay" -> Servers.relay(args);
                case "echo-server" -> Servers.echoServer(args);
                case "backend" -> FastBackend.main(args);
                case "idle" -> IdleClients.main(args);
                default -> throw new IllegalArgumentException("unknown command '" + argv[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
        System.exit(0);
    }

    /** {@code load}: one run against any WebSocket echo URL, printed as a table row. */
    private static void load(Args args) throws Exception {
        String url = args.string("url", null);
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        LoadGenerator.Config cfg = new LoadGenerator.Config(URI.create(url), args.integer("connections", 64),
                args.integer("size", 1024), args.seconds("warmup", 10), args.seconds("duration", 10),
                LoadGenerator.Mode.valueOf(args.string("mode", "closed").toUpperCase(java.util.Locale.ROOT)),
                args.number("rate", 0));
        args.checkAllUsed();
        try (LoadGenerator gen = new LoadGenerator()) {
            LoadGenerator.Outcome o = gen.run(cfg, new LoadGenerator.Window() {
                @Override
                public void started() {
                }

                @Override
                public void ended() {
                }
            });
            System.out.printf(java.util.Locale.ROOT, "%.0f msg/s p50=%.2f p99=%.2f p99.9=%.2f max=%.1f ms errors=%d%s%n",
                    o.perSecond(), o.latency().getValueAtPercentile(50) / 1e6, o.latency().getValueAtPercentile(99) / 1e6,
                    o.latency().getValueAtPercentile(99.9) / 1e6, o.latency().getMaxValue() / 1e6, o.errors(),
                    o.firstError() != null ? " first error: " + o.firstError() : "");
        }
    }
}
