package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.github.socketdock.fixtures.Closer;
import io.github.socketdock.fixtures.RawSocket;
import io.github.socketdock.fixtures.RecordingBackendServer;
import io.github.socketdock.fixtures.TestKeystores;
import io.github.socketdock.http.HttpBackendOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind a load balancer: the PROXY protocol (v1, v2, before TLS) and forwarded headers decide the
 * client's address in the connect envelope's {@code remote}, in {@link Connection#remoteAddress()}
 * and in the per-address limit — and only when the option is on. Every client here is a raw socket
 * from 127.0.0.1 that says, in a header, it is someone else.
 */
class BehindLoadBalancerIT {

    @RegisterExtension
    final Closer closer = new Closer();

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private RecordingBackendServer backend;
    private SocketDock dock;

    private void start(SocketDock.Builder builder) throws Exception {
        backend = closer.add(RecordingBackendServer.start());
        dock = closer.add(builder.port(0).backend(Backends.http(HttpBackendOptions.builder(backend.uri("/message"))
                .connectUri(backend.uri("/connect")).disconnectUri(backend.uri("/disconnect")).build())).build().start());
    }

    /** Opens a raw connection, writes {@code preamble} (a PROXY header, or nothing) and an upgrade; @return the answer's head. */
    private String upgrade(RawSocket s, byte[] preamble, String... headers) throws Exception {
        closer.add(s);
        s.write(concat(preamble, RawSocket.upgradeRequest(new byte[16], headers).getBytes(StandardCharsets.ISO_8859_1)));
        return s.readHead();
    }

    private String upgrade(byte[] preamble, String... headers) throws Exception {
        return upgrade(new RawSocket(dock.port()), preamble, headers);
    }

    /** @return the meta of the {@code n}-th connect POST (1-based) */
    private JsonObject connectMeta(int n) {
        return backend.await("/connect", n).get(n - 1).json().getAsJsonObject("meta");
    }

    /** @return the remote address of the live connection that {@code meta} describes (once it is open) */
    private InetSocketAddress remoteOf(JsonObject meta) {
        String id = meta.get("connection_id").getAsString();
        return await().atMost(Duration.ofSeconds(30)).until(() -> dock.connection(id), java.util.Optional::isPresent)
                .orElseThrow().remoteAddress();
    }

    @Test
    void aProxyV1HeaderNamesTheClientInRemoteTheConnectionAndTheLimit() throws Exception {
        start(SocketDock.builder().proxyProtocol(true).controlApi(ControlApi.defaults().withListener("127.0.0.1", 0))
                .limits(Limits.defaults().withMaxConnectionsPerAddress(1)));

        // a forged X-Forwarded-For changes nothing: only the PROXY header is believed here
        assertThat(upgrade(v1("203.0.113.7", 40001), "X-Forwarded-For: 198.51.100.66")).startsWith("HTTP/1.1 101");
        JsonObject meta = connectMeta(1);
        assertThat(meta.get("remote").getAsString()).isEqualTo("203.0.113.7");
        assertThat(remoteOf(meta)).isEqualTo(new InetSocketAddress("203.0.113.7", 40001));

        // the same client through another balancer connection: over its limit, though the TCP peer is 127.0.0.1 for all
        assertThat(upgrade(v1("203.0.113.7", 40002))).startsWith("HTTP/1.1 429");
        assertThat(upgrade(v1("203.0.113.8", 40003))).startsWith("HTTP/1.1 101");
        assertThat(connectMeta(2).get("remote").getAsString()).isEqualTo("203.0.113.8");
        assertThat(dock.connectionCount()).isEqualTo(2);

        byte[] v6 = ("PROXY TCP6 2001:db8::5 ::1 40010 " + dock.port() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(upgrade(v6)).startsWith("HTTP/1.1 101");
        assertThat(connectMeta(3).get("remote").getAsString()).isEqualTo("2001:db8:0:0:0:0:0:5");
        // UNKNOWN (a balancer's own health check, say): the TCP peer's address
        assertThat(upgrade("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 101");
        assertThat(connectMeta(4).get("remote").getAsString()).isEqualTo("127.0.0.1");
    }

    @Test
    void aProxyV2HeaderNamesTheClientForIpv4AndIpv6() throws Exception {
        start(SocketDock.builder().proxyProtocol(true).controlApi(ControlApi.defaults().withListener("127.0.0.1", 0))
                .limits(Limits.defaults().withMaxConnectionsPerAddress(1)));

        assertThat(upgrade(v2(InetAddress.getByName("2001:db8::7"), 40004))).startsWith("HTTP/1.1 101");
        JsonObject meta = connectMeta(1);
        assertThat(meta.get("remote").getAsString()).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(remoteOf(meta)).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40004));

        assertThat(upgrade(v2(InetAddress.getByName("198.51.100.4"), 40005))).startsWith("HTTP/1.1 101");
        assertThat(connectMeta(2).get("remote").getAsString()).isEqualTo("198.51.100.4");
        assertThat(upgrade(v2(InetAddress.getByName("198.51.100.4"), 40006))).startsWith("HTTP/1.1 429");
    }

    @Test
    void aConnectionWithoutAProxyHeaderIsRefusedAndOthersGoOn() throws Exception {
        start(SocketDock.builder().proxyProtocol(true).controlApi(ControlApi.defaults().withListener("127.0.0.1", 0)));
        RawSocket good = new RawSocket(dock.port());
        assertThat(upgrade(good, v1("203.0.113.9", 40007))).startsWith("HTTP/1.1 101");

        RawSocket plain = new RawSocket(dock.port());
        closer.add(plain);
        plain.write(RawSocket.upgradeRequest(new byte[16]));
        String answer = plain.readResponse();
        assertThat(answer).startsWith("HTTP/1.1 400").contains("PROXY protocol");
        assertThat(plain.closedByServer()).isTrue();

        // a TLS client (or anything that is not HTTP) is closed without an answer it could not read
        RawSocket binary = new RawSocket(dock.port());
        closer.add(binary);
        binary.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x0b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}); // a TLS record
        assertThat(binary.readToEof(1024, Duration.ofSeconds(30))).isEmpty();

        good.write(RawSocket.frame(true, 1, "still here".getBytes(StandardCharsets.UTF_8)));
        assertThat(backend.await("/message", 1).get(0).json().get("message").getAsString()).isEqualTo("still here");
        assertThat(backend.requests("/connect")).hasSize(1);
        assertThat(dock.connectionCount()).isEqualTo(1);
    }

    @Test
    void aGarbledProxyHeaderIsRefusedAndOthersGoOn() throws Exception {
        start(SocketDock.builder().proxyProtocol(true).controlApi(ControlApi.defaults().withListener("127.0.0.1", 0)));
        RawSocket good = new RawSocket(dock.port());
        assertThat(upgrade(good, v1("203.0.113.10", 40008))).startsWith("HTTP/1.1 101");

        List<byte[]> garbled = List.of(
                "PROXY GARBAGE\r\n".getBytes(StandardCharsets.US_ASCII),
                "PROXY TCP4 203.0.113.11 127.0.0.1 99999 80\r\n".getBytes(StandardCharsets.US_ASCII),
                "PROXY TCP4 203.0.113.11\u0001 127.0.0.1 1 80\r\n".getBytes(StandardCharsets.US_ASCII),
                "PROXY TCP4 relay.example 127.0.0.1 1 80\r\n".getBytes(StandardCharsets.US_ASCII), // never looked up
                "PROXY TCP6 1:::::::::1 ::1 1 80\r\n".getBytes(StandardCharsets.US_ASCII),
                "PROXY TCP4 203.0.113.11 127.0.0.1 1 80\n".getBytes(StandardCharsets.US_ASCII), // no CR
                ("PROXY TCP4 " + "1".repeat(200) + "\r\n").getBytes(StandardCharsets.US_ASCII), // longer than allowed
                concat(V2_SIGNATURE, new byte[] {0x11, 0x11, 0x00, 0x0C}), // version 1 in a v2 header
                concat(V2_SIGNATURE, new byte[] {0x21, 0x71, 0x00, 0x0C})); // an unknown family
        for (byte[] header : garbled) {
            RawSocket s = new RawSocket(dock.port());
            closer.add(s);
            s.write(concat(header, RawSocket.upgradeRequest(new byte[16]).getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(s.readToEof(1024, Duration.ofSeconds(30))).as(new String(header, StandardCharsets.ISO_8859_1)).isEmpty();
        }

        good.write(RawSocket.frame(true, 1, "still here".getBytes(StandardCharsets.UTF_8)));
        assertThat(backend.await("/message", 1).get(0).json().get("message").getAsString()).isEqualTo("still here");
        assertThat(backend.requests("/connect")).hasSize(1);
    }

    @Test
    void theProxyHeaderComesBeforeTls() throws Exception {
        TestKeystores keys = new TestKeystores(TestKeystores.tempDir());
        Path relay = keys.keystore("relay");
        Path trust = keys.truststore("trust-relay", relay);
        start(SocketDock.builder().proxyProtocol(true).controlApi(ControlApi.defaults().withListener("127.0.0.1", 0))
                .tls(Keystore.pkcs12(relay, TestKeystores.PASSWORD)));

        Socket tcp = new Socket("127.0.0.1", dock.port());
        closer.add(tcp);
        tcp.setSoTimeout(30_000);
        tcp.getOutputStream().write(v1("203.0.113.12", 40009));
        SSLSocket tls = (SSLSocket) TestKeystores.sslContext(trust).getSocketFactory().createSocket(tcp, "127.0.0.1", dock.port(), true);
        closer.add(tls);
        tls.getOutputStream().write(RawSocket.upgradeRequest(new byte[16]).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(readHead(tls.getInputStream())).startsWith("HTTP/1.1 101");
        assertThat(connectMeta(1).get("remote").getAsString()).isEqualTo("203.0.113.12");
    }

    @Test
    void trustedForwardedHeadersNameTheClientTheBalancerAppended() throws Exception {
        start(SocketDock.builder().trustForwarded(true).limits(Limits.defaults().withMaxConnectionsPerAddress(1)));

        // the client wrote 6.6.6.6 itself; the balancer appended the address it saw
        assertThat(upgrade(new byte[0], "X-Forwarded-For: 6.6.6.6, 198.51.100.9")).startsWith("HTTP/1.1 101");
        JsonObject meta = connectMeta(1);
        assertThat(meta.get("remote").getAsString()).isEqualTo("198.51.100.9");
        assertThat(remoteOf(meta)).isEqualTo(new InetSocketAddress("198.51.100.9", 0));
        // a balancer that adds a header line of its own (HAProxy's option forwardfor): its line wins
        assertThat(upgrade(new byte[0], "X-Forwarded-For: 6.6.6.6", "X-Forwarded-For: 198.51.100.9"))
                .startsWith("HTTP/1.1 429");

        assertThat(upgrade(new byte[0], "Forwarded: for=6.6.6.6;proto=https, for=\"[2001:db8::9]:4711\";proto=http"))
                .startsWith("HTTP/1.1 101");
        JsonObject rfc = connectMeta(2);
        assertThat(rfc.get("remote").getAsString()).isEqualTo("2001:db8:0:0:0:0:0:9");
        assertThat(remoteOf(rfc)).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::9"), 4711));

        // what is not an IP address (obfuscated, unknown, a name: never looked up) leaves the peer's
        assertThat(upgrade(new byte[0], "X-Forwarded-For: 198.51.100.10, balancer.example")).startsWith("HTTP/1.1 101");
        assertThat(connectMeta(3).get("remote").getAsString()).isEqualTo("127.0.0.1");
        assertThat(upgrade(new byte[0], "Forwarded: for=_hidden")).startsWith("HTTP/1.1 429");
    }

    @Test
    void forgedForwardedHeadersChangeNothingWhenNotTrusted() throws Exception {
        start(SocketDock.builder().limits(Limits.defaults().withMaxConnectionsPerAddress(1)));

        assertThat(upgrade(new byte[0], "X-Forwarded-For: 198.51.100.9", "Forwarded: for=198.51.100.9"))
                .startsWith("HTTP/1.1 101");
        JsonObject meta = connectMeta(1);
        assertThat(meta.get("remote").getAsString()).isEqualTo("127.0.0.1");
        assertThat(remoteOf(meta).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(meta.getAsJsonObject("headers").get("x-forwarded-for").getAsString()).isEqualTo("198.51.100.9");
        // another "client" from the same peer is the same client: the limit counts the peer
        assertThat(upgrade(new byte[0], "X-Forwarded-For: 198.51.100.10")).startsWith("HTTP/1.1 429");
        assertThat(upgrade(RawSocket.from("127.0.0.2", dock.port()), new byte[0], "X-Forwarded-For: 198.51.100.9"))
                .startsWith("HTTP/1.1 101");
        assertThat(connectMeta(2).get("remote").getAsString()).isEqualTo("127.0.0.2");
    }

    @Test
    void inAuthorizeModeTheBackendIsAskedWithTheSameAddress() throws Exception {
        start(SocketDock.builder().trustForwarded(true).limits(Limits.defaults().withMaxConnectionsPerAddress(1))
                .connectMode(ConnectMode.AUTHORIZE));

        assertThat(upgrade(new byte[0], "X-Forwarded-For: 198.51.100.20")).startsWith("HTTP/1.1 101");
        JsonObject meta = connectMeta(1);
        assertThat(meta.get("remote").getAsString()).isEqualTo("198.51.100.20");
        assertThat(remoteOf(meta)).isEqualTo(new InetSocketAddress("198.51.100.20", 0));
        assertThat(upgrade(new byte[0], "X-Forwarded-For: 198.51.100.20")).startsWith("HTTP/1.1 429");
        assertThat(backend.requests("/connect")).hasSize(1);
    }

    /** @return a PROXY protocol v1 header from {@code ip:port} to the dock */
    private byte[] v1(String ip, int port) {
        return ("PROXY TCP4 " + ip + " 127.0.0.1 " + port + " " + dock.port() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** @return a PROXY protocol v2 header (PROXY command, TCP) from {@code source:port} to the dock */
    private byte[] v2(InetAddress source, int port) throws Exception {
        boolean v6 = source.getAddress().length == 16;
        byte[] destination = InetAddress.getByName(v6 ? "::1" : "127.0.0.1").getAddress();
        ByteBuffer b = ByteBuffer.allocate(16 + (v6 ? 36 : 12));
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) (v6 ? 0x21 : 0x11)).putShort((short) (v6 ? 36 : 12));
        b.put(source.getAddress()).put(destination).putShort((short) port).putShort((short) dock.port());
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
            head.append((char) c);
        }
        return head.toString();
    }
}
