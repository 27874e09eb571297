package io.github.socketdock.cli;

import io.github.socketdock.ConnectMode;

/** Reads {@code --connect-mode}: {@code notify} or {@code authorize}, case-insensitive. */
final class ConnectModeConverter extends LowerCaseEnumConverter<ConnectMode> {

    ConnectModeConverter() {
        super(ConnectMode.class, "connect mode");
    }
}
