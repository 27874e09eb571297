package io.github.socketdock.internal.common;

import io.github.socketdock.ControlApi;
import io.github.socketdock.Keystore;
import io.github.socketdock.http.HttpBackendOptions;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The secrets the public setting values keep to themselves, read here by the code that uses them:
 * a {@link Keystore}'s password (by {@code net.Tls}, to open the keystore), the {@link ControlApi}'s
 * tokens (by {@code server.ControlAccess}, to compare a request's token) and the webhook signing
 * secrets of {@link HttpBackendOptions} (by {@code backend.HttpBackend}, to sign). The values have no public
 * getter for them, so that no log line, debugger view or serializer that walks getters finds
 * them; each grants its reader here from its class initialiser, which runs before any instance
 * of it exists, so a reader is always there when a value is. Not an API.
 */
public final class Secrets {

    private static Function<Keystore, String> keystorePasswords;
    private static Function<ControlApi, List<String>> controlTokens;
    private static Function<HttpBackendOptions, List<String>> signingSecrets;

    private Secrets() {
    }

    /**
     * Called once, by {@code Keystore}'s class initialiser.
     *
     * @param reader reads a keystore's password
     */
    public static synchronized void grantKeystorePasswords(Function<Keystore, String> reader) {
        keystorePasswords = once(keystorePasswords, reader);
    }

    /**
     * Called once, by {@code ControlApi}'s class initialiser.
     *
     * @param reader reads the control API's tokens
     */
    public static synchronized void grantControlTokens(Function<ControlApi, List<String>> reader) {
        controlTokens = once(controlTokens, reader);
    }

    /**
     * Called once, by {@code HttpBackendOptions}' class initialiser.
     *
     * @param reader reads the options' webhook signing secrets
     */
    public static synchronized void grantSigningSecrets(Function<HttpBackendOptions, List<String>> reader) {
        signingSecrets = once(signingSecrets, reader);
    }

    /** @return the secrets the http backend signs its requests with; empty when it does not sign */
    public static synchronized List<String> signingSecrets(HttpBackendOptions options) {
        return signingSecrets.apply(options);
    }

    /** @return the keystore's password */
    public static synchronized String password(Keystore keystore) {
        return keystorePasswords.apply(keystore);
    }

    /** @return the tokens the control routes require; empty for none */
    public static synchronized List<String> tokens(ControlApi control) {
        return controlTokens.apply(control);
    }

    private static <T> T once(T granted, T reader) {
        if (granted != null) {
            throw new IllegalStateException("already granted");
        }
        return Objects.requireNonNull(reader);
    }
}
