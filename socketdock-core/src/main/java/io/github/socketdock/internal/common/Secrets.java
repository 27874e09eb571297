package io.github.socketdock.internal.common;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The secrets the public setting values keep to themselves, read here by the code that uses them:
 * a {@code Keystore}'s password (by {@code net.Tls}, to open the keystore), the
 * {@code ControlApi}'s tokens (by {@code server.ControlAccess}, to compare a request's token) and
 * the webhook signing secrets of {@code HttpBackendOptions} (by {@code backend.HttpBackend}, to
 * sign). The values have no public getter for them, so that no log line, debugger view or
 * serializer that walks getters finds them; each grants its reader here from its class
 * initialiser, which runs before any instance of it exists, so a reader is always there when a
 * value is.
 *
 * <p>It names none of those types: a reader is kept by the class of the value it reads, so this
 * package, which every other imports, imports none of the public ones. Not an API.
 */
public final class Secrets {

    private static final Map<Class<?>, Function<Object, Object>> READERS = new ConcurrentHashMap<>();

    private Secrets() {
    }

    /**
     * Called once per type, by its class initialiser.
     *
     * @param type   the type whose values keep a secret
     * @param reader reads a value's secret: a {@code String}, or a {@code List} of them
     * @throws IllegalStateException if {@code type} granted a reader before
     */
    public static <T> void grant(Class<T> type, Function<? super T, ?> reader) {
        Objects.requireNonNull(reader, "reader");
        if (READERS.putIfAbsent(type, value -> reader.apply(type.cast(value))) != null) {
            throw new IllegalStateException("already granted: " + type.getName());
        }
    }

    /**
     * @return the one secret {@code value} keeps (a keystore's password)
     * @throws IllegalStateException if its type keeps no single secret
     */
    public static String secret(Object value) {
        if (read(value) instanceof String s) {
            return s;
        }
        throw new IllegalStateException(value.getClass().getName() + " keeps no single secret");
    }

    /**
     * @return the secrets {@code value} keeps (the control API's tokens, the signing secrets); empty for none
     * @throws IllegalStateException if its type keeps no list of secrets
     */
    public static List<String> secrets(Object value) {
        if (read(value) instanceof List<?> list) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new IllegalStateException(value.getClass().getName() + " keeps no list of secrets");
    }

    private static Object read(Object value) {
        Function<Object, Object> reader = READERS.get(value.getClass());
        if (reader == null) {
            throw new IllegalStateException("no reader granted for " + value.getClass().getName());
        }
        return reader.apply(value);
    }
}
