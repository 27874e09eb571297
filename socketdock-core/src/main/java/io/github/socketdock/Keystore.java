package io.github.socketdock;

import io.github.socketdock.internal.common.Secrets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A PKCS12 keystore file and its password: the certificate SocketDock serves TLS with
 * ({@link SocketDock.Builder#tls(Keystore)}), and the truststore and client certificate of the
 * {@code http} backend ({@link io.github.socketdock.http.HttpBackendOptions.Builder#trustStore(Keystore)},
 * {@link io.github.socketdock.http.HttpBackendOptions.Builder#keyStore(Keystore)}).
 *
 * <pre>{@code
 * SocketDock dock = SocketDock.builder()
 *         .tls(Keystore.pkcs12(Path.of("/etc/socketdock/tls.p12"), System.getenv("TLS_PASSWORD")))
 *         .backend(backend)
 *         .build();
 * }</pre>
 *
 * <p>Immutable. The password has no getter and {@link #toString()} shows only the file, so a
 * keystore can be logged; two keystores are equal when file and password are. The setting that
 * takes a keystore checks that its file can be read, naming the setting ({@code TLS keystore
 * /etc/socketdock/tls.p12 does not exist or cannot be read}); SocketDock opens it when it starts,
 * and a wrong password or a file that is not PKCS12 fails the start with a message that names the
 * file and never shows the password.
 */
public final class Keystore {

    static {
        Secrets.grant(Keystore.class, keystore -> keystore.password);
    }

    private final Path file;
    private final String password;

    private Keystore(Path file, String password) {
        this.file = file;
        this.password = password;
    }

    /**
     * @param file     a PKCS12 file ({@code .p12}, {@code .pfx})
     * @param password its password; never logged
     * @return the keystore
     * @throws NullPointerException if the file or the password is null
     */
    public static Keystore pkcs12(Path file, String password) {
        return new Keystore(Objects.requireNonNull(file, "keystore file"),
                Objects.requireNonNull(password, "keystore password"));
    }

    /** @return the keystore's file */
    public Path file() {
        return file;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Keystore k && file.equals(k.file) && password.equals(k.password);
    }

    /** @return the file's hash: nothing derived from the password leaves the keystore */
    @Override
    public int hashCode() {
        return file.hashCode();
    }

    /** @return e.g. {@code Keystore[/etc/socketdock/tls.p12, password masked]} */
    @Override
    public String toString() {
        return "Keystore[" + file + ", password masked]";
    }
}
