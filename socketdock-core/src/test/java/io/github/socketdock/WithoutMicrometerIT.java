package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Micrometer is optional: a SocketDock without a registry loads none of it, and runs with it
 * missing from the class path. Each case runs {@link WithoutMicrometerMain} in a JVM of its own.
 */
class WithoutMicrometerIT {

    @TempDir
    Path dir;

    private static List<String> testClassPath() {
        return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    private Process run(List<String> classPath, String... jvmArgs) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(WithoutMicrometerMain.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM finished").isTrue();
        return p;
    }

    @Test
    void withMicrometerOnTheClassPathButNoRegistryNoMicrometerClassIsLoaded() throws Exception {
        assertThat(testClassPath()).anyMatch(e -> e.contains("micrometer-core"));
        Path loaded = dir.resolve("classes.txt");
        Process p = run(testClassPath(), "-Xlog:class+load=info:file=" + loaded);
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        List<String> lines = Files.readAllLines(loaded);
        assertThat(lines).as("the class-load log names the relay's classes")
                .anyMatch(l -> l.contains("io.github.socketdock.internal.DockServer"));
        assertThat(lines.stream().filter(l -> l.contains("io.micrometer")).collect(Collectors.toList())).isEmpty();
        assertThat(lines).noneMatch(l -> l.contains("io.github.socketdock.internal.MicrometerMetrics"));
    }

    @Test
    void withoutMicrometerOnTheClassPathTheRelayRuns() throws Exception {
        List<String> without = testClassPath().stream().filter(e -> !e.contains("micrometer")).toList();
        assertThat(without).hasSizeLessThan(testClassPath().size());
        Process p = run(without);
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("relayed");
    }
}
