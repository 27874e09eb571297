package io.github.socketdock.cli;

import io.github.socketdock.Backends;
import java.util.Locale;

/** The built-in backends the command can run, by their {@code --backend} name. */
enum BackendKind {
    /** {@link Backends#loopback()}: echoes every message back to its sender. */
    LOOPBACK,
    /** {@link Backends#http}: POSTs every socket event to a mediator. */
    HTTP;

    /** @return the name as written on the command line, e.g. {@code http} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a backend name, case-insensitive; refuses any other with the names it accepts. */
    static final class Converter extends LowerCaseEnumConverter<BackendKind> {
        Converter() {
            super(BackendKind.class, "backend");
        }
    }
}
