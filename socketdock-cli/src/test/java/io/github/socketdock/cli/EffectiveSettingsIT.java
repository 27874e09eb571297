package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.socketdock.testing.TestKeystores;
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
 * The real jar, started with every secret the command line takes given as flags, logs one INFO line
 * of its effective settings after the line saying where it listens, and that line masks every token,
 * secret and password.
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
                    .until(() -> Files.readString(log).contains("effective settings") || !p.isAlive());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }

        String logs = Files.readString(log);
        List<String> settings = logs.lines().filter(l -> l.contains("effective settings: ")).toList();
        assertThat(settings).as(logs).singleElement().asString()
                .contains(" INFO ", "SocketDock.Builder[host=127.0.0.1, port=0,", "controlTokens=2 (masked)",
                        "maxConnectionsPerAddress=5", "allowedOrigins=[https://app.example]", "connectMode=AUTHORIZE",
                        "tls=" + server, "HttpBackendOptions[message=https://127.0.0.1:9/message",
                        "signingSecrets=2 (masked)", "trustStore=" + trust, "keyStore=" + client);
        assertThat(logs.indexOf("listening on")).as(logs).isNotNegative().isLessThan(logs.indexOf("effective settings"));
        for (String secret : List.of(TOKEN, NEXT_TOKEN, SECRET, SECRET.substring(6), NEXT_SECRET, NEXT_SECRET.substring(6),
                TestKeystores.PASSWORD)) {
            assertThat(logs).as("the logs show " + secret).doesNotContain(secret);
        }
    }
}
