package io.github.socketdock.cli;

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
            description = "Base URL of the callback routes (<url>/socket/<id>/send) given to the backend: how a "
                    + "backend elsewhere reaches this instance. Unset: http://<bindip>:<bindport>, with 127.0.0.1 "
                    + "for a wildcard --bindip.")
    URI endpoint;

    @Option(names = "--externalhostandport", paramLabel = "<host:port>", converter = HostAndPortConverter.class,
            description = "Same as --endpoint http://<host:port> (the original's spelling); not with --endpoint.")
    URI externalHostAndPort;

    @Option(names = "--allowed-origin", paramLabel = "<origin>", split = "\\s*,\\s*",
            splitSynopsisLabel = ",", showDefaultValue = Visibility.NEVER,
            description = "A browser origin allowed to open a WebSocket, exact (https://app.example.com) or a "
                    + "wildcard subdomain (https://*.example.com); repeat for more. Others get 403; upgrades "
                    + "without an Origin header (native agents) are not affected. Unset: every origin.")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--control-bindip", paramLabel = "<address>",
            description = "Serve the control routes (/socket/*, /status) on a listener of their own at this address, "
                    + "so the public listener serves only /ws; point --endpoint at it. Unset (and no "
                    + "--control-bindport): they share the public listener, as in the original.")
    String controlBindIp;

    @Option(names = "--control-bindport", paramLabel = "<port>", converter = PortConverter.class,
            description = "Port of the control listener (with --control-bindip, or on 127.0.0.1 without it).")
    Integer controlBindPort;

    @Option(names = "--control-token", paramLabel = "<token>", split = "\\s*,\\s*",
            splitSynopsisLabel = ",", showDefaultValue = Visibility.NEVER,
            description = "Require Authorization: Bearer <token> on the control routes (401 otherwise); repeat "
                    + "to accept two while rotating. At least 16 characters. Never logged. Unset: no token needed.")
    List<String> controlTokens = new ArrayList<>();

    @Option(names = "--tls-keystore", paramLabel = "<file.p12>",
            description = "Serve wss:// and https:// (public and control listeners) with the certificate in this "
                    + "PKCS12 keystore; needs --tls-keystore-password. Unset: plain ws:// and http://.")
    java.nio.file.Path tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "<password>",
            description = "Password of --tls-keystore; better given as SOCKETDOCK_TLS_KEYSTORE_PASSWORD. Never logged.")
    String tlsKeystorePassword;

    @Option(names = "--proxy-protocol", defaultValue = "false",
            description = "Behind a load balancer that sends HAProxy's PROXY protocol (v1 or v2; HAProxy send-proxy, "
                    + "AWS NLB): read the client's address from it, for logs, --max-connections-per-ip and the "
                    + "connect's meta.remote. Every public connection must then start with the header (others are "
                    + "refused), health checks included; needs --control-bindport with --backend http. Off unless "
                    + "given.")
    boolean proxyProtocol;

    @Option(names = "--trust-forwarded", defaultValue = "false",
            description = "Behind an HTTP load balancer: take the client's address from the last entry of "
                    + "X-Forwarded-For (else the last for= of Forwarded), the one the balancer appended. Only when "
                    + "clients cannot reach this listener around the balancer. Off unless given: the headers "
                    + "change nothing.")
    boolean trustForwarded;
}
