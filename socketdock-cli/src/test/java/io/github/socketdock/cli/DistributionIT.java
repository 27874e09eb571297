package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator's download, {@code socketdock-<version>-dist.tar.gz} as the build left it:
 * unpacked as {@code tar} would (file modes included), its launcher run as a process.
 */
class DistributionIT {

    private static final String VERSION = DistArchive.VERSION;

    @TempDir
    Path dir;

    private Path home;
    private Map<String, Integer> modes;

    @BeforeEach
    void unpack() throws IOException {
        modes = DistArchive.unpack(dir);
        home = DistArchive.home(dir);
    }

    @Test
    void holdsTheLauncherTheHealthCheckTheExecutableJarTheReadmeAndTheLicense() throws IOException {
        String top = "socketdock-" + VERSION + "/";
        assertThat(modes).containsKeys(top + "bin/socketdock", top + "bin/socketdock-healthcheck", top + "lib/socketdock.jar",
                top + "README.md", top + "LICENSE");
        assertThat(modes.get(top + "bin/socketdock")).as("the launcher is executable").isEqualTo(0755);
        assertThat(modes.get(top + "bin/socketdock-healthcheck")).as("the health check is executable").isEqualTo(0755);
        assertThat(modes.get(top + "lib/socketdock.jar")).isEqualTo(0644);
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
        assertThat(Files.readString(home.resolve("bin/socketdock"))).startsWith("#!/bin/sh\n").doesNotContain("\r");

        try (JarFile jar = new JarFile(home.resolve("lib/socketdock.jar").toFile())) {
            Manifest manifest = jar.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
            assertThat(manifest.getMainAttributes().getValue("Implementation-Version")).isEqualTo(VERSION);
            // service files of the shaded dependencies are merged, not the first one kept
            assertThat(service(jar, "org.slf4j.spi.SLF4JServiceProvider"))
                    .contains("ch.qos.logback.classic.spi.LogbackServiceProvider");
            assertThat(service(jar, "org.eclipse.jetty.websocket.core.Extension"))
                    .contains("org.eclipse.jetty.websocket.core.internal.PerMessageDeflateExtension");
            assertThat(service(jar, "org.eclipse.jetty.http.HttpFieldPreEncoder"))
                    .contains("org.eclipse.jetty.http.Http11FieldPreEncoder");
            assertThat(service(jar, "io.micrometer.context.ThreadLocalAccessor"))
                    .contains("io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor");
        }
    }

    private static String service(JarFile jar, String name) throws IOException {
        var entry = jar.getJarEntry("META-INF/services/" + name);
        assertThat(entry).as(name).isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void launcherRunsTheJarAndPrintsTheProjectVersion() throws Exception {
        Run r = run(home.resolve("bin/socketdock"), Map.of("JAVA_HOME", System.getProperty("java.home")), "--version");

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).isEqualTo("SocketDock " + VERSION + "\n");
    }

    @Test
    void launcherPassesJavaOptsToTheJvm() throws Exception {
        Run r = run(home.resolve("bin/socketdock"),
                Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xmx64m"),
                "--version");

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("-XX:+PrintCommandLineFlags", "-XX:MaxHeapSize=67108864")
                .endsWith("SocketDock " + VERSION + "\n");
    }

    @Test
    void launcherPassesEveryArgumentAsGivenToJavaHomeFromAnyDirectoryAndThroughALink() throws Exception {
        Path fakeJavaHome = dir.resolve("fake-jdk");
        Path fakeJava = Files.createDirectories(fakeJavaHome.resolve("bin")).resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("elsewhere")).resolve("sd"),
                home.resolve("bin/socketdock"));

        Run r = run(link, Map.of("JAVA_HOME", fakeJavaHome.toString(), "JAVA_OPTS", "-Xmx1g -Dx=1"),
                "--endpoint", "ws://a b/ws", "", "*");

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out.lines()).containsExactly("[-Djdk.nio.maxCachedBufferSize=262144]", "[-XX:+UseParallelGC]",
                "[-Xmn32m]", "[-Xmx1g]", "[-Dx=1]", "[-jar]",
                "[" + home.toRealPath().resolve("lib/socketdock.jar") + "]",
                "[--endpoint]", "[ws://a b/ws]", "[]", "[*]");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "JAVA_OPTS         | -Xmx1g                  | -XX:+UseParallelGC -Xmn32m",
        "JAVA_OPTS         | -XX:+UseG1GC -Xmx1g     | ''",
        "JAVA_OPTS         | -Xmx1g  -XX:+UseZGC     | ''",
        "JAVA_OPTS         | -XX:+UseGCOverheadLimit | -XX:+UseParallelGC -Xmn32m",
        "JAVA_OPTS         | -XX:+UseMaximumCompactionOnSystemGC | -XX:+UseParallelGC -Xmn32m",
        "JAVA_OPTS         | -XX:+UseAdaptiveSizePolicyWithSystemGC | -XX:+UseParallelGC -Xmn32m",
        "JAVA_OPTS         | -XX:-UseParallelGC      | ''",
        "JAVA_OPTS         | -XX:-UseG1GC            | -XX:+UseParallelGC -Xmn32m",
        "JAVA_OPTS         | -Xmn64m                 | -XX:+UseParallelGC",
        "JAVA_OPTS         | -XX:NewRatio=3          | -XX:+UseParallelGC",
        "JAVA_OPTS         | -XX:MaxNewSize=16m      | -XX:+UseParallelGC",
        "JDK_JAVA_OPTIONS  | -XX:+UseSerialGC        | ''",
        "JAVA_TOOL_OPTIONS | -XX:+UseShenandoahGC    | ''",
    })
    void launcherPutsARelaysCollectorDefaultsFirstUnlessTheyAreChosen(String variable, String value, String defaults)
            throws Exception {
        Path fakeJavaHome = dir.resolve("fake-jdk");
        Path fakeJava = Files.createDirectories(fakeJavaHome.resolve("bin")).resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run r = run(home.resolve("bin/socketdock"), Map.of("JAVA_HOME", fakeJavaHome.toString(), variable, value));

        assertThat(r.exitCode).as(r.toString()).isZero();
        List<String> expected = new ArrayList<>(List.of("-Djdk.nio.maxCachedBufferSize=262144"));
        expected.addAll(defaults.isEmpty() ? List.of() : List.of(defaults.split(" ")));
        if (variable.equals("JAVA_OPTS")) {
            expected.addAll(List.of(value.split("\\s+")));
        }
        expected.addAll(List.of("-jar", home.toRealPath().resolve("lib/socketdock.jar").toString()));
        assertThat(r.out.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void theRealJvmRunsWithTheDefaultsOrWithTheCollectorChosenInstead() throws Exception {
        String javaHome = System.getProperty("java.home");
        Run defaults = run(home.resolve("bin/socketdock"),
                Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertThat(defaults.exitCode).as(defaults.toString()).isZero();
        assertThat(defaults.out).contains("-XX:+UseParallelGC", "-XX:MaxNewSize=33554432", "-XX:NewSize=33554432");

        // a collector of one's own must not clash with the default one ("multiple collectors")
        Run g1 = run(home.resolve("bin/socketdock"),
                Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", "-XX:+UseG1GC -XX:+PrintCommandLineFlags"), "--version");
        assertThat(g1.exitCode).as(g1.toString()).isZero();
        assertThat(g1.out).contains("-XX:+UseG1GC").doesNotContain("UseParallelGC", "NewSize=33554432")
                .endsWith("SocketDock " + VERSION + "\n");
    }

    @Test
    void launcherWithABadJavaHomeSaysSoAndFails() throws Exception {
        Run r = run(home.resolve("bin/socketdock"), Map.of("JAVA_HOME", dir.resolve("no-such-jdk").toString()), "--version");

        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.err.strip()).startsWith("socketdock: JAVA_HOME is ").endsWith("is not an executable file");
    }

    private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
            return new Run(p.exitValue(), out, err);
        } finally {
            p.destroyForcibly();
        }
    }

    private record Run(int exitCode, String out, String err) {
    }
}
