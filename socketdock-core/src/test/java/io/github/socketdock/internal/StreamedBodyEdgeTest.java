package io.github.socketdock.internal;

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
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.Test;

class StreamedBodyEdgeTest {
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

    private void check(Message m, String what) throws Exception {
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

    @Test
    void edges() throws Exception {
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
            check(Message.text(t), "text");
            byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
            check(Message.binary(utf8), "binary utf8");
            // a view with a position and a direct, read-only buffer
            ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length + 3);
            direct.put(new byte[] {1, 2, 3}).put(utf8).flip().position(3);
            check(Message.binary(direct.asReadOnlyBuffer()), "binary direct");
        }
        Random rnd = new Random(3);
        for (int len = 24_000; len < 24_010; len++) {
            byte[] b = new byte[len];
            rnd.nextBytes(b);
            b[0] = (byte) 0xff;
            check(Message.binary(b), "base64 " + len);
        }
        // E2 80 at the very end is invalid UTF-8 (base64); E2 80 A8 at the end is U+2028
        byte[] e = (pad + "\u2028").getBytes(StandardCharsets.UTF_8);
        check(Message.binary(java.util.Arrays.copyOf(e, e.length - 1)), "truncated 2028");
    }
}
