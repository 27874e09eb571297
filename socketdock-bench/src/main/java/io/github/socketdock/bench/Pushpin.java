package io.github.socketdock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Pushpin (Debian packages {@code pushpin} and {@code zurl}) in WebSocket-over-HTTP mode in front
 * of the bench backend: {@code zurl} with a copy of its default config (private IPC paths, loopback
 * allowed) beside {@code pushpin --config <copy> --port 127.0.0.1:<port>} and the route
 * {@code * 127.0.0.1:<backend port>,over_http}. Everything lives in a temporary directory.
 */
final class Pushpin implements AutoCloseable {

    private final Path dir;
    private final Process zurl;
    private final Process pushpin;
    private final int port;

    private Pushpin(Path dir, Process zurl, Process pushpin, int port) {
        this.dir = dir;
        this.zurl = zurl;
        this.pushpin = pushpin;
        this.port = port;
    }

    static Pushpin start(int backendPort) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("socketdock-bench-pushpin");
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("log"));
        String ipc = "ipc://" + dir.resolve("run");
        List<String> zurlConf = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/etc/zurl.conf"))) {
            if (line.startsWith("in_spec=")) {
                line = "in_spec=" + ipc + "/zurl-in";
            } else if (line.startsWith("in_stream_spec=")) {
                line = "in_stream_spec=" + ipc + "/zurl-in-stream";
            } else if (line.startsWith("out_spec=")) {
                line = "out_spec=" + ipc + "/zurl-out";
            } else if (line.startsWith("in_req_spec=")) {
                line = "in_req_spec=" + ipc + "/zurl-req";
            } else if (line.startsWith("deny=")) {
                line = "deny=";  // the default denies 127.*: the bench backend is on loopback
            }
            zurlConf.add(line);
        }
        Files.write(dir.resolve("zurl.conf"), zurlConf);

        List<String> conf = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/etc/pushpin/pushpin.conf"))) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')) : "";
            switch (key) {
                case "rundir" -> line = "rundir=" + dir.resolve("run");
                case "logdir" -> line = "logdir=" + dir.resolve("log");
                case "routesfile" -> line = "routesfile=" + dir.resolve("routes");
                case "push_in_spec" -> line = "push_in_spec=tcp://127.0.0.1:" + freePort();
                case "push_in_sub_specs" -> line = "push_in_sub_specs=tcp://127.0.0.1:" + freePort();
                case "push_in_http_port" -> line = "push_in_http_port=" + freePort();
                case "command_spec" -> line = "command_spec=tcp://127.0.0.1:" + freePort();
                default -> {
                }
            }
            conf.add(line);
            if (line.equals("[proxy]")) {
                conf.add("zurl_out_specs=" + ipc + "/zurl-in");
                conf.add("zurl_out_stream_specs=" + ipc + "/zurl-in-stream");
                conf.add("zurl_in_specs=" + ipc + "/zurl-out");
            }
        }
        Files.write(dir.resolve("pushpin.conf"), conf);
        Files.writeString(dir.resolve("routes"), "* 127.0.0.1:" + backendPort + ",over_http\n");

        Process zurl = new ProcessBuilder("zurl", "--config=" + dir.resolve("zurl.conf"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("log/zurl.out").toFile()).start();
        int port = freePort();
        Process pushpin = new ProcessBuilder("pushpin", "--config", dir.resolve("pushpin.conf").toString(),
                "--port", "127.0.0.1:" + port, "--route", "* 127.0.0.1:" + backendPort + ",over_http")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log/pushpin.out").toFile()).start();
        Pushpin p = new Pushpin(dir, zurl, pushpin, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!accepts(port)) {
            if (!pushpin.isAlive() || !zurl.isAlive() || System.nanoTime() > deadline) {
                p.close();
                throw new IllegalStateException("pushpin did not start; see its output in " + dir.resolve("log"));
            }
            Thread.sleep(100);
        }
        return p;
    }

    int port() {
        return port;
    }

    /** @return the pids of every Pushpin process (runner, condure, proxy, handler) and zurl */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(zurl.pid());
        pids.add(pushpin.pid());
        pushpin.descendants().forEach(h -> pids.add(h.pid()));
        return pids;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        pushpin.descendants().forEach(all::add);
        pushpin.destroy();
        zurl.destroy();
        for (Process p : List.of(pushpin, zurl)) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
