package io.github.socketdock.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bench sub-command run in a process of its own (the relay under test, a backend, a group of
 * idle clients). It says {@code READY port=<n>} on stdout once serving, further result lines
 * after, and ends when its stdin closes.
 */
final class Child implements AutoCloseable {

    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;
    private final int port;

    private Child(String name, Process process) throws IOException {
        this.name = name;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = process.getOutputStream();
        String ready = readLine();
        if (!ready.startsWith("READY port=")) {
            throw new IllegalStateException(name + " did not start: " + ready);
        }
        this.port = Integer.parseInt(ready.substring("READY port=".length()).strip());
    }

    /**
     * Starts {@code java <jvmArgs> -cp <this class path> Bench <command> <args>}.
     */
    static Child start(String name, List<String> jvmArgs, String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Bench.class.getName());
        cmd.add(command);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new Child(name, p);
        } catch (RuntimeException | IOException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** @return the next line the child printed; fails if it ended first */
    String readLine() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException(name + " ended unexpectedly (exit " + waitExit() + ")");
        }
        return line;
    }

    /** Sends one line to the child's stdin. */
    void send(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** @return the bytes the child's threads have allocated so far (see {@code Servers}) */
    long allocatedBytes() throws IOException {
        send("alloc");
        String line = readLine();
        if (!line.startsWith("ALLOC ")) {
            throw new IllegalStateException(name + " answered '" + line + "' to alloc");
        }
        return Long.parseLong(line.substring(6).strip());
    }

    /** @return {direct buffer bytes, heap bytes in use after a full collection} of the child (see {@code Servers}) */
    long[] memory() throws IOException {
        send("memory");
        String line = readLine();
        if (!line.startsWith("MEMORY ")) {
            throw new IllegalStateException(name + " answered '" + line + "' to memory");
        }
        String[] parts = line.substring(7).strip().split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    /** @return whether the child process is still running */
    boolean alive() {
        return process.isAlive();
    }

    private int waitExit() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Closes the child's stdin (it stops), and kills it if it has not ended within 20 s. */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // it is going anyway
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
