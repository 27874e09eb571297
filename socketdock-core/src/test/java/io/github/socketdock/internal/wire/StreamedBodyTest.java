package io.github.socketdock.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.Test;

/**
 * A large message's body is measured before it is made and streamed from the message: byte for
 * byte the body gson builds whole ({@link WireFormat#message(Connection, Message)}), whatever the
 * text holds (every escape, surrogate pairs and lone surrogates, U+2028), read in any piece size,
 * signed the same, and holding what it says.
 */
class StreamedBodyTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final URI ENDPOINT = URI.create("http://10.0.0.5:8765");
    private final ArrayByteBufferPool pool = new ArrayByteBufferPool();

    private static Connection connection() {
        Connection c = mock(Connection.class);
        when(c.id()).thenReturn(ID);
        when(c.sendUri()).thenReturn(WireFormat.sendUri(ENDPOINT, ID));
        when(c.disconnectUri()).thenReturn(WireFormat.disconnectUri(ENDPOINT, ID));
        return c;
    }

    /** Text of every kind a JSON string treats apart, in runs, with lone surrogates. */
    private static String hostileText(Random rnd, int chars) {
        char[] special = {'"', '\\', '\t', '\b', '\n', '\r', '\f', 0, 1, 0x1f, 0x7f, 0x80, 0x7ff, 0x800, '\u2028',
            '\u2029', 0xfffd, 0xffff, 0xd800, 0xdbff, 0xdc00, 0xdfff, '<', '&', '='};
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) {
            switch (rnd.nextInt(5)) {
                case 0 -> b.append(special[rnd.nextInt(special.length)]);
                case 1 -> b.appendCodePoint(0x10000 + rnd.nextInt(0xfffff));
                case 2 -> b.append((char) rnd.nextInt(0x10000));
                default -> b.append((char) (0x20 + rnd.nextInt(0x5f)));
            }
        }
        return b.toString();
    }

    private static byte[] read(InputStream in, Random rnd) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[70_000];
        for (int n; (n = in.read(buf, 0, 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : buf.length))) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private void assertStreamedAsBuilt(Message m, Random rnd) throws Exception {
        Connection c = connection();
        byte[] expected = WireFormat.message(c, m);
        RequestBody body = WireFormat.messageBody(c, m, pool);
        assertThat(body).isInstanceOf(StreamedBody.class);
        assertThat(body.length()).as("measured length").isEqualTo(expected.length);
        assertThat(((StreamedBody) body).toByteArray()).isEqualTo(expected);
        // a try's content, as Jetty reads it: chunk by chunk, the announced length
        Request.Content content = body.content();
        assertThat(content.getLength()).isEqualTo(expected.length);
        assertThat(Content.Source.asByteBuffer(content)).isEqualTo(ByteBuffer.wrap(expected));
        // a second try reads it all again, in odd pieces
        byte[] again = read(Content.Source.asInputStream(body.content()), rnd);
        assertThat(again).isEqualTo(expected);
        // the signature is the signature of the bytes
        Mac streamed = mac();
        body.update(streamed);
        Mac whole = mac();
        whole.update(expected);
        assertThat(streamed.doFinal()).isEqualTo(whole.doFinal());
    }

    private static Mac mac() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("k".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac;
    }

    @Test
    void hostileTextStreamsAsGsonBuildsIt() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 20; i++) {
            String text = hostileText(rnd, 6_000 + rnd.nextInt(60_000));
            assertStreamedAsBuilt(Message.text(text), rnd);
            assertThat(JsonText.length(text)).isEqualTo(WireFormat.message(connection(), Message.text(text)).length
                    - WireFormat.message(connection(), Message.text("")).length + 2);
        }
    }

    @Test
    void controlCharactersSixTimesTheirSizeAreMeasuredNotGuessed() throws Exception {
        String controls = "\u0001".repeat(200_000);
        assertThat(JsonText.length(controls)).isEqualTo(2 + 6L * 200_000);
        assertStreamedAsBuilt(Message.text(controls), new Random(1));
        assertStreamedAsBuilt(Message.binary(controls.getBytes(StandardCharsets.UTF_8)), new Random(2));
    }

    @Test
    void binaryThatIsUtf8StreamsAsTextAndOtherBinaryAsBase64() throws Exception {
        Random rnd = new Random(9);
        for (int i = 0; i < 10; i++) {
            byte[] utf8 = hostileText(rnd, 10_000 + rnd.nextInt(40_000)).replaceAll("[\\ud800-\\udfff]", "x")
                    .getBytes(StandardCharsets.UTF_8);
            assertStreamedAsBuilt(Message.binary(utf8), rnd);
            byte[] random = new byte[30_000 + rnd.nextInt(90_000)];
            rnd.nextBytes(random);
            random[0] = (byte) 0xff;
            assertStreamedAsBuilt(Message.binary(random), rnd);
        }
    }

    @Test
    void aStreamedBodyHoldsItsMessageAndOneChunkNotItsLength() {
        String controls = "\u0001".repeat(1 << 20);
        RequestBody body = WireFormat.messageBody(connection(), Message.text(controls), pool);
        assertThat(body.length()).isGreaterThan(6L << 20);
        assertThat(body.held()).isEqualTo(2L * controls.length() + StreamedBody.CHUNK);
    }

    @Test
    void aSmallMessageIsBuiltWholeInAPooledBuffer() {
        RequestBody body = WireFormat.messageBody(connection(), Message.text("x".repeat(5_000)), pool);
        assertThat(body).isInstanceOf(Envelope.class);
        body.release();
    }

    private void checkEveryReadSize(Message m, String what) throws Exception {
        Connection c = connection();
        byte[] expected = WireFormat.message(c, m);
        RequestBody body = WireFormat.messageBody(c, m, pool);
        assertThat(body.length()).as(what + " length").isEqualTo(expected.length);
        for (int size = 1; size <= 13; size++) {
            InputStream in = Content.Source.asInputStream(body.content());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[size];
            for (int n; (n = in.read(buf, 0, size)) >= 0; ) {
                out.write(buf, 0, n);
            }
            assertThat(out.toByteArray()).as(what + " read size " + size).isEqualTo(expected);
        }
        // single-byte reads
        InputStream in = Content.Source.asInputStream(body.content());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            out.write(b);
        }
        assertThat(out.toByteArray()).as(what + " read()").isEqualTo(expected);
    }

    /** Found in review: none of these differs, read in any piece size from 1 to 13 bytes or byte by byte. */
    @Test
    void surrogatesEscapesAndSeparatorsAtEveryOffsetStreamAsBuilt() throws Exception {
        int n = 6000;
        List<String> texts = new ArrayList<>();
        String pad = "a".repeat(n);
        for (String tail : new String[] {"\ud83d\ude00", "\ud83d", "\ude00", "\u2028", "\u2029", "\u0000", "\"", "\\",
                "\ud83d\ud83d", "\ude00\ud83d", "\ud83d\u2028", "\ud83d\"", "\u00e9", "\u0800", "\uffff"}) {
            texts.add(pad + tail);
            texts.add(tail + pad);
            texts.add(tail.repeat(n));
            for (int k = 0; k < 7; k++) {
                texts.add("a".repeat(k) + (tail + "b").repeat(n / 2));
            }
        }
        texts.add("\ud800".repeat(n));
        texts.add("\udc00".repeat(n));
        for (String t : texts) {
            checkEveryReadSize(Message.text(t), "text");
            byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
            checkEveryReadSize(Message.binary(utf8), "binary utf8");
            // a view with a position and a direct, read-only buffer
            ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length + 3);
            direct.put(new byte[] {1, 2, 3}).put(utf8).flip().position(3);
            checkEveryReadSize(Message.binary(direct.asReadOnlyBuffer()), "binary direct");
        }
        Random rnd = new Random(3);
        for (int len = 24_000; len < 24_010; len++) {
            byte[] b = new byte[len];
            rnd.nextBytes(b);
            b[0] = (byte) 0xff;
            checkEveryReadSize(Message.binary(b), "base64 " + len);
        }
        // E2 80 at the very end is invalid UTF-8 (base64); E2 80 A8 at the end is U+2028
        byte[] e = (pad + "\u2028").getBytes(StandardCharsets.UTF_8);
        checkEveryReadSize(Message.binary(java.util.Arrays.copyOf(e, e.length - 1)), "truncated 2028");
    }
}
