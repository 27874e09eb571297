package io.github.socketdock.internal.net;

import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.LogText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * The client's address, decided in one place for logs, per-address limits,
 * {@code Connection.remoteAddress()} and the connect envelope's {@code remote}: the TCP peer, or
 * the client behind a load balancer when the public listener is told to believe it.
 *
 * <ul>
 *   <li>PROXY protocol (v1 and v2): {@link #proxyProtocol()} ({@link RequiredProxyProtocol})
 *       goes first on the public listener, before TLS; the connection's remote address becomes
 *       the one in the header. A connection that does not start with a header is refused (a
 *       plain HTTP request gets a 400 saying so); a garbled header closes the connection.</li>
 *   <li>Forwarded headers: {@link #forwarded()}, a customizer of the public listener, takes the
 *       <em>last</em> address of the last {@code X-Forwarded-For}, else the last {@code for=} of
 *       {@code Forwarded} — the one the balancer in front appended. Earlier entries are what the
 *       client (or proxies before the balancer) claimed and are ignored: Jetty's own
 *       {@code ForwardedRequestCustomizer} takes the left-most, which a client forges by sending
 *       the header itself through a balancer that appends. A value that is not an IP address
 *       ({@code unknown}, {@code _hidden}, a name) leaves the peer's address; no name is ever
 *       looked up.</li>
 * </ul>
 * Both change what Jetty reports as the request's remote address, and {@link #of(Request)} reads
 * it from there, so every user of the address agrees.
 */
public final class ClientAddress {

    /** Dotted decimal without leading zeros (which some parsers read as octal, and which could end in a lookup). */
    static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Starts as InetAddress reads a literal (hex digit or colon): anything else it would look up. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}");

    private ClientAddress() {
    }

    /** @return the client's address as the request reports it (after PROXY and forwarded headers), or null */
    public static InetSocketAddress of(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null;
    }

    /** @return the IP address of {@code remote} as text without a port ({@code 203.0.113.7}, {@code 2001:db8:0:0:0:0:0:1}), or null */
    public static String text(InetSocketAddress remote) {
        return LogText.ip(remote);
    }

    /**
     * @param log where a refused connection is told
     * @return the PROXY protocol (v1 and v2) connection factory, which refuses connections without a header
     */
    static ConnectionFactory proxyProtocol(LimitedLog log) {
        return new RequiredProxyProtocol(log);
    }

    /** @return the customizer that takes the client's address from the balancer's forwarded headers */
    public static HttpConfiguration.Customizer forwarded() {
        return ClientAddress::customize;
    }

    private static Request customize(Request request, HttpFields.Mutable responseHeaders) {
        InetSocketAddress client = fromHeaders(request.getHeaders());
        if (client == null) {
            return request;
        }
        ConnectionMetaData meta = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
            @Override
            public SocketAddress getRemoteSocketAddress() {
                return client;
            }
        };
        return new Request.Wrapper(request) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return meta;
            }
        };
    }

    /**
     * @return the address the nearest proxy reported: the last entry of the last
     *     {@code X-Forwarded-For}, else the last {@code for=} of {@code Forwarded}; null if neither
     *     names an IP address
     */
    static InetSocketAddress fromHeaders(HttpFields headers) {
        List<String> xff = headers.getValuesList(HttpHeader.X_FORWARDED_FOR);
        if (!xff.isEmpty()) {
            List<String> entries = split(xff.get(xff.size() - 1), ',');
            return entries.isEmpty() ? null : node(entries.get(entries.size() - 1));
        }
        List<String> forwarded = headers.getValuesList(HttpHeader.FORWARDED);
        if (forwarded.isEmpty()) {
            return null;
        }
        List<String> elements = split(forwarded.get(forwarded.size() - 1), ',');
        if (elements.isEmpty()) {
            return null;
        }
        for (String pair : split(elements.get(elements.size() - 1), ';')) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
                return node(unquote(pair.substring(eq + 1).strip()));
            }
        }
        return null;
    }

    /** Splits at {@code separator} outside double quotes; parts stripped, empty ones dropped. */
    private static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : separator;
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && (!quoted || i == value.length())) {
                String part = value.substring(start, i).strip();
                if (!part.isEmpty()) {
                    parts.add(part);
                }
                start = i + 1;
            }
        }
        return parts;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /**
     * Reads a node: {@code 192.0.2.7}, {@code 192.0.2.7:4711}, {@code [2001:db8::7]},
     * {@code [2001:db8::7]:4711} or a bare {@code 2001:db8::7}. Only IP literals: never a lookup.
     *
     * @return the address (port 0 when none is given), or null if it is not an IP address
     */
    static InetSocketAddress node(String node) {
        String host = node.strip();
        String port = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = host.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                return null;
            }
            host = host.substring(1, close);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = host.substring(host.indexOf(':') + 1);
            host = host.substring(0, host.indexOf(':'));
        }
        boolean v6 = host.indexOf(':') >= 0;
        if (!(v6 ? IPV6 : IPV4).matcher(host).matches()) {
            return null;
        }
        int p = 0;
        if (port != null) {
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                return null;
            }
            p = Integer.parseInt(port);
        }
        try {
            // a literal (checked above): InetAddress parses it, it does not look it up
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
