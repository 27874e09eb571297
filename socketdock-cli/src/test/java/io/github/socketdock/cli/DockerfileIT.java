package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.github.socketdock.fixtures.Http;
import io.github.socketdock.testing.TestWebSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The repository's {@code Dockerfile}, without a container engine (there is none where the tests
 * run): its structure is checked as the builder would read it, and its ENTRYPOINT's exact command
 * line runs as a process with the image's ENV (the built jar standing in for
 * {@code /app/socketdock.jar}, the test's JDK for the image's {@code java}, and the listener moved
 * to a free port on 127.0.0.1), probed by the HEALTHCHECK's own command ({@link DockerHealthcheckIT}
 * runs that one against every kind of listener).
 */
class DockerfileIT {

    private static final String IMAGE_LAUNCHER = "/app/bin/socketdock";

    @TempDir
    Path dir;

    private Path file;
    private Dockerfile dockerfile;

    @BeforeEach
    void read() throws Exception {
        file = Path.of(System.getProperty("socketdock.dockerfile", "../Dockerfile"));
        assertThat(file).exists();
        dockerfile = Dockerfile.read(file);
    }

    @Test
    void buildsWithTheWrapperOnAJdkAndRunsOnAJreAsAnUnprivilegedUser() throws Exception {
        assertThat(dockerfile.stages()).hasSize(2);
        Dockerfile.Stage build = dockerfile.stages().get(0);
        assertThat(build.image()).isEqualTo("eclipse-temurin:17-jdk");
        assertThat(build.name()).isEqualTo("build");
        assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run.args())
                .contains("./mvnw -B", " package", "-DskipTests",
                        "tar -xzf socketdock-cli/target/socketdock-*-dist.tar.gz -C /dist --strip-components=1"));

        Dockerfile.Stage run = dockerfile.runStage();
        assertThat(run.image()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(run.one("COPY").args()).isEqualTo("--from=build /dist /app");
        String user = run.one("USER").args();
        assertThat(user).as("a numeric uid, so that Kubernetes' runAsNonRoot can check it").matches("\\d+(:\\d+)?");
        String uid = user.split(":")[0];
        assertThat(uid).isNotEqualTo("0");
        assertThat(run.all("RUN")).anySatisfy(r -> assertThat(r.args()).contains("useradd", "--uid " + uid));

        assertThat(Files.readAllLines(file.resolveSibling(".dockerignore"), StandardCharsets.UTF_8))
                .contains("**/target/", ".git/");
    }

    @Test
    void configuresThroughSocketdockVariablesWithJsonLogsAndExposesItsPort() {
        Dockerfile.Stage run = dockerfile.runStage();
        Map<String, String> env = run.env();

        assertThat(env).containsEntry("SOCKETDOCK_LOG_FORMAT", "json").containsEntry("SOCKETDOCK_BINDIP", "0.0.0.0");
        assertThat(env).containsEntry("JAVA_OPTS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
        Set<String> socketdock = new TreeSet<>(env.keySet());
        socketdock.remove("JAVA_OPTS");
        assertThat(socketdock).allSatisfy(name -> assertThat(name).startsWith(EnvDefaultProvider.PREFIX));
        assertThat(cliVariables()).containsAll(socketdock);
        assertThat(run.one("EXPOSE").args()).isEqualTo(env.get("SOCKETDOCK_BINDPORT"));

        assertThat(run.one("ENTRYPOINT").execForm()).as("the distribution's launcher").containsExactly(IMAGE_LAUNCHER);

        Dockerfile.Instruction healthcheck = run.one("HEALTHCHECK");
        assertThat(healthcheck.args()).contains("--interval=", "--timeout=", "--start-period=");
        assertThat(healthcheck.execForm()).as("the distribution's probe (DockerHealthcheckIT runs it)")
                .containsExactly("/app/bin/socketdock-healthcheck");
    }

    @Test
    void theEntrypointWithTheImagesEnvServesTheHealthcheckAndLogsJson() throws Exception {
        Dockerfile.Stage run = dockerfile.runStage();
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(run.env());
        env.put("SOCKETDOCK_BINDIP", "127.0.0.1"); // tests never listen beyond loopback
        env.put("SOCKETDOCK_BINDPORT", String.valueOf(port));
        env.put("JAVA_HOME", System.getProperty("java.home")); // the image's base sets its own
        Path app = DistArchive.home(Files.createDirectories(dir.resolve("app")));
        DistArchive.unpack(app.getParent());
        List<String> command = new ArrayList<>();
        for (String arg : run.one("ENTRYPOINT").execForm()) {
            command.add(arg.startsWith("/app/") ? app.resolve(arg.substring("/app/".length())).toString() : arg);
        }
        List<String> probe = new ArrayList<>();
        for (String arg : run.one("HEALTHCHECK").execForm()) {
            probe.add(arg.startsWith("/app/") ? app.resolve(arg.substring("/app/".length())).toString() : arg);
        }

        try (JarProcess dock = JarProcess.start(command, env, dir)) {
            dock.awaitStderr("listening on");
            String jvm = Files.readString(Path.of("/proc", String.valueOf(dock.process().pid()), "cmdline"))
                    .replace('\0', ' ');
            assertThat(jvm).as("the JVM's command line").contains("-XX:+UseParallelGC -Xmn32m -XX:MaxRAMPercentage=75"
                    + " -XX:+ExitOnOutOfMemoryError -jar " + app.toRealPath().resolve("lib/socketdock.jar"));
            long pid = dock.process().pid(); // in the container: 1, the probe's default
            probe.add(String.valueOf(pid));
            assertThat(probe(probe, env)).as("the HEALTHCHECK command's exit code").isZero();
            assertThat(Http.call("GET", URI.create("http://127.0.0.1:" + port + "/readyz")).statusCode()).isEqualTo(200);
            try (TestWebSocket ws = TestWebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                ws.send("in a container");
                assertThat(ws.takeText(JarProcess.WAIT)).isEqualTo("in a container");
            }

            assertThat(dock.stop()).as("a clean drain").isZero();
            assertThat(probe(probe, env)).as("the HEALTHCHECK fails once it is gone").isNotZero();
            List<JsonObject> lines = CliLogFormatIT.jsonLines(dock.stderr());
            assertThat(lines).allSatisfy(line -> assertThat(line.keySet()).contains("@timestamp", "level", "logger_name", "message"));
            assertThat(lines).anySatisfy(line -> assertThat(line.get("message").getAsString())
                    .contains("listening on ws://127.0.0.1:" + port + "/ws"));
        }
    }

    /** Runs the HEALTHCHECK's command as Docker would inside the container, with the image's env. */
    private int probe(List<String> probe, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(probe).redirectErrorStream(true)
                .redirectOutput(dir.resolve("probe.log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the probe ended").isTrue();
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }

    /** @return every SOCKETDOCK_* variable the command reads, from its picocli model */
    private static Set<String> cliVariables() {
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : Main.newCommandLine(Map.of()).getCommandSpec().options()) {
            String name = EnvDefaultProvider.variableName(option);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }
}
