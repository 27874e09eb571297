package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.fixtures.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command's executable jar, built by {@code socketdock-cli} (this module depends on it as a
 * pom so that the reactor builds it first), run as a process for the tests that check examples
 * against the real command.
 */
final class SocketDockJar {

    private SocketDockJar() {
    }

    /** @return the command line {@code java -jar socketdock.jar args...} */
    static List<String> command(String... args) {
        Path jar = Path.of(System.getProperty("socketdock.jar", "../socketdock-cli/target/socketdock.jar"));
        assertThat(jar).as("the command's jar, built by socketdock-cli").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ChildJvm.options());
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** @return a process builder for {@code command}, with no {@code SOCKETDOCK_*} variable but those of {@code env} */
    static ProcessBuilder processBuilder(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("SOCKETDOCK_"));
        pb.environment().putAll(env);
        return pb;
    }

    /** @return a port that was free on 127.0.0.1 a moment ago (the command cannot report a port 0 it picked) */
    static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return free.getLocalPort();
        }
    }

    /** Runs {@code socketdock --help} with this environment; fails unless it exits 0. */
    static String help(Map<String, String> env) throws IOException, InterruptedException {
        Process p = processBuilder(command("--help"), env).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
