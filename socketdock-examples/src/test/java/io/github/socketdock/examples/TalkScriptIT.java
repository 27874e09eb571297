package io.github.socketdock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.Backends;
import io.github.socketdock.SocketDock;
import io.github.socketdock.fixtures.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first screen talks to the loopback echo with {@code jshell socketdock-examples/talk.jsh}:
 * the JDK's own jshell and WebSocket client, nothing else installed. Runs it as the README says.
 */
class TalkScriptIT {

    @TempDir
    Path dir;

    @Test
    void theTalkScriptGetsEveryWordEchoedByTheLoopbackBackend() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme.substring(0, readme.indexOf("\n## "))).as("the README's first screen")
                .contains("jshell socketdock-examples/talk.jsh");
        try (SocketDock dock = SocketDock.builder().port(0).backend(Backends.loopback()).build().start()) {
            Path out = dir.resolve("out.txt");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "jshell").toString());
            // jshell's JVM (-J) and the one it runs the script in (-R) get the test JVMs' options,
            // as the jars the other tests start
            for (String option : ChildJvm.options()) {
                command.add("-J" + option);
                command.add("-R" + option);
            }
            command.add("talk.jsh");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(Path.of("").toAbsolutePath().toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("TALK_URL", dock.uri().toString());
            pb.environment().put("TALK", "hello relay");
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("jshell ended").isTrue();
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(printed).isZero();
            assertThat(printed.lines()).as(printed)
                    .containsSubsequence("connected to " + dock.uri(), "> hello", "< hello", "> relay", "< relay");
        }
    }
}
