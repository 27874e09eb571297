package io.github.socketdock.cli;

import io.github.socketdock.KeepAlive;
import io.github.socketdock.Limits;
import io.github.socketdock.SocketDock;
import io.github.socketdock.http.HttpBackendOptions;
import io.github.socketdock.http.Retry;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The default of every option whose default is one of the library's constants, written the way
 * the option reads it ({@code 30s}, {@code 16MiB}), so that the command and its {@code --help}
 * take the library's own value and follow it when it changes. Such an option declares no
 * {@code defaultValue} of its own.
 *
 * <p>{@link EnvDefaultProvider} asks here when an option's variable is unset. An option not listed
 * here has either a default of the command's own in its annotation (e.g. {@code --idle-timeout 0})
 * or none at all.
 */
final class LibraryDefaults implements IDefaultValueProvider {

    /** Option (its first long name) to default. */
    static final Map<String, String> BY_OPTION = Map.ofEntries(
            // Listening
            Map.entry("--bindip", SocketDock.DEFAULT_HOST),
            Map.entry("--bindport", String.valueOf(SocketDock.DEFAULT_PORT)),
            // Backend
            Map.entry("--max-inflight", String.valueOf(HttpBackendOptions.DEFAULT_MAX_INFLIGHT)),
            Map.entry("--backend-max-connections", String.valueOf(HttpBackendOptions.DEFAULT_MAX_CONNECTIONS)),
            Map.entry("--backend-connect-timeout", DurationConverter.format(HttpBackendOptions.DEFAULT_CONNECT_TIMEOUT)),
            Map.entry("--backend-timeout", DurationConverter.format(HttpBackendOptions.DEFAULT_TIMEOUT)),
            Map.entry("--backend-retries", String.valueOf(Retry.DEFAULT_RETRIES)),
            Map.entry("--backend-retry-backoff", DurationConverter.format(Retry.DEFAULT_BACKOFF)),
            Map.entry("--backend-ordering-window", DurationConverter.format(HttpBackendOptions.DEFAULT_ORDERING_WINDOW)),
            // Keep-alive
            Map.entry("--ping-interval", DurationConverter.format(KeepAlive.DEFAULT_PING_INTERVAL)),
            Map.entry("--ping-timeout", DurationConverter.format(KeepAlive.DEFAULT_PING_TIMEOUT)),
            Map.entry("--max-receipt-wait", DurationConverter.format(KeepAlive.DEFAULT_MAX_RECEIPT_WAIT)),
            // Limits
            Map.entry("--max-message-size", SizeConverter.format(Limits.DEFAULT_MAX_MESSAGE_SIZE)),
            Map.entry("--max-queued-bytes", SizeConverter.format(Limits.DEFAULT_MAX_QUEUED_BYTES)),
            Map.entry("--slow-client-timeout", DurationConverter.format(Limits.DEFAULT_SLOW_CLIENT_TIMEOUT)),
            Map.entry("--unfinished-message-timeout",
                    DurationConverter.format(Limits.DEFAULT_UNFINISHED_MESSAGE_TIMEOUT)),
            Map.entry("--shutdown-timeout", DurationConverter.format(SocketDock.DEFAULT_SHUTDOWN_TIMEOUT)));

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec option ? BY_OPTION.get(OneLineErrorHandler.name(option)) : null;
    }
}
