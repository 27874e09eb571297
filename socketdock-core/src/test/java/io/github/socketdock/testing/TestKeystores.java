package io.github.socketdock.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed PKCS12 keystores made at test time with the JDK's {@code keytool} (a real process),
 * each for {@code localhost} and {@code 127.0.0.1}, and a truststore holding their certificates.
 */
public final class TestKeystores {

    /** The password of every keystore made here. */
    public static final String PASSWORD = "test-password";

    private final Path dir;

    public TestKeystores(Path dir) {
        this.dir = dir;
    }

    /** Makes {@code <name>.p12}: a key pair and a self-signed certificate. */
    public Path keystore(String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost, O=SocketDock test " + name, "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        return file;
    }

    /** Makes {@code <name>.p12}: a truststore with the certificates of these keystores. */
    public Path truststore(String name, Path... keystores) throws Exception {
        Path file = dir.resolve(name + ".p12");
        for (Path ks : keystores) {
            String alias = ks.getFileName().toString().replace(".p12", "");
            Path cert = dir.resolve(alias + ".crt");
            keytool("-exportcert", "-alias", alias, "-keystore", ks.toString(), "-storepass", PASSWORD,
                    "-storetype", "PKCS12", "-rfc", "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(), "-keystore", file.toString(),
                    "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        return file;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", args) + "\n" + new String(out));
        }
    }

    /** @return a client TLS context that trusts the certificates in {@code truststore} */
    public static javax.net.ssl.SSLContext sslContext(Path truststore) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(truststore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** @return a fresh temporary directory for keystores */
    public static Path tempDir() throws IOException {
        return Files.createTempDirectory("socketdock-tls");
    }
}
