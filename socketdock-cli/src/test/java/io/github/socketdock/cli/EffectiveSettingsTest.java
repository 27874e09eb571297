package io.github.socketdock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The effective settings the command logs before the line saying where it listens, built from a
 * command line that gives every secret the command line takes as flags: a short line per group,
 * and every token, secret and password masked. (That the jar logs them, before that line, is
 * checked by {@link CliJarIT}.)
 */
class EffectiveSettingsTest {

    private static final String TOKEN = "control-token-never-logged-0001";
    private static final String NEXT_TOKEN = "control-token-never-logged-0002";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "signing-secret-never-logged-0001".getBytes(StandardCharsets.US_ASCII));
    private static final String NEXT_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "signing-secret-never-logged-0002".getBytes(StandardCharsets.US_ASCII));
    private static final String PASSWORD = "keystore-password-never-logged";

    @TempDir
    Path dir;

    @Test
    void everyGroupHasOneShortLineAndEveryTokenSecretAndPasswordIsMasked() throws Exception {
        // the builders only check that a keystore can be read; what is in it is read at start
        Path server = Files.createFile(dir.resolve("server.p12"));
        Path client = Files.createFile(dir.resolve("client.p12"));
        Path trust = Files.createFile(dir.resolve("trust.p12"));
        SocketDockCommand command = Cli.parse("--bindip", "127.0.0.1", "--bindport", "0", "--control-bindport", "0",
                "--control-token", TOKEN, "--control-token", NEXT_TOKEN,
                "--tls-keystore", server.toString(), "--tls-keystore-password", PASSWORD,
                "--allowed-origin", "https://app.example", "--max-connections-per-ip", "5",
                "--backend", "http", "--message-uri", "https://127.0.0.1:9/message", "--connect-uri", "https://127.0.0.1:9/connect",
                "--connect-mode", "authorize", "--signing-secret", SECRET, "--signing-secret", NEXT_SECRET,
                "--backend-truststore", trust.toString(), "--backend-truststore-password", PASSWORD,
                "--backend-keystore", client.toString(), "--backend-keystore-password", PASSWORD);

        List<String> lines = SocketDockCommand.settingsLines(command.builder(), command.httpBackendOptions());

        assertThat(lines).hasSize(8).allSatisfy(line -> assertThat(line).hasSizeLessThan(250));
        assertThat(String.join("\n", lines))
                .contains("settings listen: host=127.0.0.1, port=0,", "tls=" + server, "allowedOrigins=[https://app.example]")
                .contains("settings control: listener=127.0.0.1:0, controlTokens=2 (masked)")
                .contains("settings keep-alive: pingInterval=20s, pingTimeout=20s, idleTimeout=off")
                .contains("settings limits: maxConnections=unlimited, maxConnectionsPerAddress=5, maxMessageSize=4MiB")
                .contains("settings backend: http -> https://127.0.0.1:9/message, connectMode=AUTHORIZE")
                .contains("settings http uris: message=https://127.0.0.1:9/message, connect=https://127.0.0.1:9/connect")
                .contains("settings http requests: maxInflight=1024, maxConnections=2048, connectTimeout=5s, timeout=30s")
                .contains("settings http security: signingSecrets=2 (masked), trustStore=" + trust + ", keyStore=" + client);
        for (String secret : List.of(TOKEN, NEXT_TOKEN, SECRET, SECRET.substring(6), NEXT_SECRET, NEXT_SECRET.substring(6),
                PASSWORD)) {
            assertThat(lines).as("the lines show " + secret).noneMatch(line -> line.contains(secret));
        }
    }
}
