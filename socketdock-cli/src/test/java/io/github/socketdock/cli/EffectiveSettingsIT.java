package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.fixtures.TestKeystores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar, started with every secret the command line takes given as flags, logs its effective
 * settings before the line saying where it listens, a short INFO line per group, and those lines
 * mask every token, secret and password.
 */
class EffectiveSettingsIT {

    private static final String TOKEN = "control-token-never-logged-0001";
    private static final String NEXT_TOKEN = "control-token-never-logged-0002";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "signing-secret-never-logged-0001".getBytes(StandardCharsets.US_ASCII));
    private static final String NEXT_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "signing-secret-never-logged-0002".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    @Test
    void theEffectiveSettingsAreLoggedOnceWithEveryTokenSecretAndPasswordMasked() throws Exception {
        TestKeystores keystores = new TestKeystores(dir);
        Path server = keystores.keystore("server");
        Path client = keystores.keystore("client");
        Path trust = keystores.truststore("trust", server);
        Path log = dir.resolve("socketdock.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("socketdock.jar", "target/socketdock.jar"),
                "--bindip", "127.0.0.1", "--bindport", "0", "--control-bindport", "0",
                "--control-token", TOKEN, "--control-token", NEXT_TOKEN,
                "--tls-keystore", server.toString(), "--tls-keystore-password", TestKeystores.PASSWORD,
                "--allowed-origin", "https://app.example", "--max-connections-per-ip", "5",
                "--backend", "http", "--message-uri", "https://127.0.0.1:9/message", "--connect-uri", "https://127.0.0.1:9/connect",
                "--connect-mode", "authorize", "--signing-secret", SECRET, "--signing-secret", NEXT_SECRET,
                "--backend-truststore", trust.toString(), "--backend-truststore-password", TestKeystores.PASSWORD,
                "--backend-keystore", client.toString(), "--backend-keystore-password", TestKeystores.PASSWORD));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith(EnvDefaultProvider.PREFIX));
        Process p = pb.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(log).contains("listening on") || !p.isAlive());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }

        String logs = Files.readString(log);
        List<String> settings = logs.lines().filter(l -> l.contains(" INFO  SocketDockCommand - settings ")).toList();
        assertThat(settings).as(logs).hasSize(8).allSatisfy(line -> assertThat(line).hasSizeLessThan(300));
        assertThat(String.join("\n", settings)).as(logs)
                .contains("settings listen: host=127.0.0.1, port=0,", "tls=" + server, "allowedOrigins=[https://app.example]")
                .contains("settings control: listener=127.0.0.1:0, controlTokens=2 (masked)")
                .contains("settings keep-alive: pingInterval=20s, pingTimeout=20s, idleTimeout=off")
                .contains("settings limits: maxConnections=unlimited, maxConnectionsPerAddress=5, maxMessageSize=4MiB")
                .contains("settings backend: http -> https://127.0.0.1:9/message, connectMode=AUTHORIZE")
                .contains("settings http uris: message=https://127.0.0.1:9/message, connect=https://127.0.0.1:9/connect")
                .contains("settings http requests: maxInflight=1024, maxConnections=2048, connectTimeout=5s, timeout=30s")
                .contains("settings http security: signingSecrets=2 (masked), trustStore=" + trust + ", keyStore=" + client);
        assertThat(logs.indexOf("settings listen: ")).as("the settings, then where it listens").isNotNegative()
                .isLessThan(logs.indexOf("listening on"));
        for (String secret : List.of(TOKEN, NEXT_TOKEN, SECRET, SECRET.substring(6), NEXT_SECRET, NEXT_SECRET.substring(6),
                TestKeystores.PASSWORD)) {
            assertThat(logs).as("the logs show " + secret).doesNotContain(secret);
        }
    }
}
