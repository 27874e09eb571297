package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command (normally {@code java -jar socketdock.jar ...}) run as a process with a given
 * environment, its stdout and stderr each written to a file (files, not pipes: {@link Process#destroy()}
 * closes pipes, and the lines logged while shutting down would be lost). {@link #close()} sends
 * SIGTERM and waits, then kills what is still running.
 */
final class JarProcess implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** @return the shaded jar built by the package phase */
    static Path jar() {
        Path jar = Path.of(System.getProperty("socketdock.jar", "target/socketdock.jar"));
        assertThat(jar).as("the shaded jar, built by the package phase").exists();
        return jar;
    }

    /** @return the {@code java} launcher of the JDK running the tests */
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return {@code java}, the {@linkplain ChildJvm#options() child options}, {@code -jar <the jar>}, {@code args} */
    static List<String> command(String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(java());
        command.addAll(ChildJvm.options());
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** @return a port that was free on 127.0.0.1 a moment ago (the CLI cannot report a port 0 it picked) */
    static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return free.getLocalPort();
        }
    }

    /**
     * Starts {@code command} with the inherited environment minus every {@code SOCKETDOCK_*}
     * variable, plus {@code env}.
     *
     * @param dir where stdout.log and stderr.log are written
     */
    static JarProcess start(List<String> command, Map<String, String> env, Path dir) throws IOException {
        return start(command, env, dir, null);
    }

    /**
     * As {@link #start(List, Map, Path)}, in the working directory {@code workDir} (null: the
     * test's own).
     */
    static JarProcess start(List<String> command, Map<String, String> env, Path dir, Path workDir) throws IOException {
        Path out = dir.resolve("stdout.log");
        Path err = dir.resolve("stderr.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().keySet().removeIf(k -> k.startsWith(EnvDefaultProvider.PREFIX));
        pb.environment().putAll(env);
        return new JarProcess(pb.start(), out, err);
    }

    Process process() {
        return process;
    }

    /** @return what it wrote on stderr so far */
    String stderr() {
        return read(stderr);
    }

    /** @return what it wrote on stdout so far */
    String stdout() {
        return read(stdout);
    }

    /** Waits until stderr contains {@code text}; fails at once, showing stderr, if the process ends first. */
    void awaitStderr(String text) {
        await().atMost(WAIT).until(() -> stderr().contains(text) || !process.isAlive());
        assertThat(process.isAlive()).as("still running; stderr:%n%s", stderr()).isTrue();
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
