package io.github.socketdock.cli;

import io.github.socketdock.ConnectMode;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --connect-mode}: {@code notify} or {@code authorize}, case-insensitive. */
final class ConnectModeConverter implements ITypeConverter<ConnectMode> {

    @Override
    public ConnectMode convert(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "notify" -> ConnectMode.NOTIFY;
            case "authorize" -> ConnectMode.AUTHORIZE;
            default -> throw new TypeConversionException("'" + value + "' is not a connect mode (notify or authorize)");
        };
    }
}
