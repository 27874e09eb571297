package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's download, {@code socketdock-<version>-dist.tar.gz} as the build left it:
 * unpacked as {@code tar} would (file modes included), its launcher run as a process.
 */
class DistributionIT {

    private static final String VERSION = System.getProperty("project.version");

    @TempDir
    Path dir;

    private Path home;
    private final Map<String, Integer> modes = new HashMap<>();

    @BeforeEach
    void unpack() throws IOException {
        Path archive = Path.of(System.getProperty("socketdock.dist"));
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path target = dir.resolve(e.getName()).normalize();
                assertThat(target.startsWith(dir)).as("entry %s stays inside the directory", e.getName()).isTrue();
                modes.put(e.getName(), e.getMode() & 0777);
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(rwx(e.getMode())));
                }
            }
        }
        home = dir.resolve("socketdock-" + VERSION);
    }

    @Test
    void holdsTheLauncherTheExecutableJarTheReadmeAndTheLicense() throws IOException {
        String top = "socketdock-" + VERSION + "/";
        assertThat(modes).containsKeys(top + "bin/socketdock", top + "lib/socketdock.jar", top + "README.md", top + "LICENSE");
        assertThat(modes.get(top + "bin/socketdock")).as("the launcher is executable").isEqualTo(0755);
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
        assertThat(r.out.lines()).containsExactly("[-Xmx1g]", "[-Dx=1]", "[-jar]",
                "[" + home.toRealPath().resolve("lib/socketdock.jar") + "]",
                "[--endpoint]", "[ws://a b/ws]", "[]", "[*]");
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

    private static String rwx(int mode) {
        String all = "rwxrwxrwx";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? all.charAt(i) : '-');
        }
        return s.toString();
    }

    private record Run(int exitCode, String out, String err) {
    }
}
