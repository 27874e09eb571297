package io.github.socketdock.cli;

import io.github.socketdock.ControlApi;
import io.github.socketdock.Keystore;
import io.github.socketdock.SocketDock;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * Where SocketDock listens, and how backends elsewhere reach it: the "Listening" help topic. An
 * option marked "default: LibraryDefaults" declares no default of its own: it takes the library's
 * constant (see {@link LibraryDefaults}).
 */
final class ListenOptions {

    // default: LibraryDefaults
    @Option(names = "--bindip", paramLabel = "<address>",
            description = "Address to listen on; 0.0.0.0 or :: for every interface.")
    String bindIp;

    // default: LibraryDefaults
    @Option(names = "--bindport", paramLabel = "<port>", converter = PortConverter.class,
            description = "Port to listen on; 0 picks a free one.")
    int bindPort;

    @Option(names = "--endpoint", paramLabel = "<url>", converter = HttpUrlConverter.class,
            description = "Base URL of the callback routes the backend is given. Unset: this listener's address.")
    URI endpoint;

    @Option(names = "--externalhostandport", paramLabel = "<host:port>", converter = HostAndPortConverter.class,
            description = "The original's spelling of --endpoint http://<host:port>.")
    URI externalHostAndPort;

    @Option(names = "--allowed-origin", paramLabel = "<origin>", split = "\\s*,\\s*",
            splitSynopsisLabel = ",", showDefaultValue = Visibility.NEVER,
            description = "Browser origin allowed to connect (https://*.example.com works); repeatable. Unset: all.")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--control-bindip", paramLabel = "<address>",
            description = "Serve /socket/*, /status and /metrics on a listener of their own at this address.")
    String controlBindIp;

    @Option(names = "--control-bindport", paramLabel = "<port>", converter = PortConverter.class,
            description = "Port of that control listener (on 127.0.0.1 without --control-bindip).")
    Integer controlBindPort;

    @Option(names = "--control-token", paramLabel = "<token>", split = "\\s*,\\s*",
            splitSynopsisLabel = ",", showDefaultValue = Visibility.NEVER,
            description = "Require Authorization: Bearer <token> on the control routes; repeatable. Never logged.")
    List<String> controlTokens = new ArrayList<>();

    @Option(names = "--tls-keystore", paramLabel = "<file.p12>",
            description = "Serve wss:// and https:// with this PKCS12 keystore.")
    java.nio.file.Path tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "<password>",
            description = "Password of --tls-keystore. Never logged.")
    String tlsKeystorePassword;

    @Option(names = "--proxy-protocol", defaultValue = "false",
            description = "Read the client's address from a PROXY protocol header, required on every public connection.")
    boolean proxyProtocol;

    @Option(names = "--trust-forwarded", defaultValue = "false",
            description = "Read the client's address from X-Forwarded-For / Forwarded (only behind a balancer).")
    boolean trustForwarded;

    /**
     * @return where the control routes are served and their tokens, each checked under its option's
     * name: a listener of their own once {@code --control-bindip} or {@code --control-bindport} is
     * given (on {@code 127.0.0.1}, and any free port, for the one not given)
     */
    ControlApi controlApi(OptionCalls calls) {
        ControlApi c = ControlApi.defaults();
        if (controlBindIp != null || controlBindPort != null) {
            String host = controlBindIp != null ? controlBindIp : SocketDock.DEFAULT_HOST;
            int port = controlBindPort != null ? controlBindPort : 0;
            c = calls.with(controlBindIp != null ? "--control-bindip" : "--control-bindport", c,
                    v -> v.withListener(host, port));
        }
        return calls.with("--control-token", c, v -> v.withTokens(controlTokens));
    }

    /**
     * @return the keystore of {@code --tls-keystore}, or null without it
     * @throws picocli.CommandLine.ParameterException if its password is not given
     */
    Keystore tls(OptionCalls calls) {
        if (tlsKeystore == null) {
            return null;
        }
        return Keystore.pkcs12(tlsKeystore, calls.required(tlsKeystorePassword, "--tls-keystore", "--tls-keystore-password"));
    }
}
