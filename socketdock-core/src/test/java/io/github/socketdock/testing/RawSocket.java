package io.github.socketdock.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A plain TCP client for what a well-behaved client library will not do: hand-written HTTP
 * requests, a WebSocket upgrade followed by hand-made frames, a client that never reads.
 */
public final class RawSocket implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** Shrinks the receive buffer (call before reading anything) so a client that stops reading fills up fast. */
    public RawSocket smallReceiveBuffer() throws IOException {
        socket.setReceiveBufferSize(4096);
        return this;
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads a response head (up to the blank line); @return it, or what came before EOF. */
    public String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Reads a whole HTTP response with a Content-Length body; @return head and body. */
    public String readResponse() throws IOException {
        String head = readHead();
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /** Sends a WebSocket upgrade for /ws with extra header lines; @return the response head. */
    public String upgrade(String... extraHeaderLines) throws IOException {
        StringBuilder req = new StringBuilder("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII))
                + "\r\nSec-WebSocket-Version: 13\r\n");
        for (String h : extraHeaderLines) {
            req.append(h).append("\r\n");
        }
        write(req.append("\r\n").toString());
        return readHead();
    }

    /** A masked client frame. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n < 65536) {
            f.write(0x80 | 126);
            f.write(n >> 8);
            f.write(n & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) n >> (8 * i)) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    /** Reads one unmasked server frame; @return {opcode, payload...} as the first byte then the payload. */
    public byte[] readFrame() throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("connection closed");
        }
        long n = b1 & 0x7f;
        if (n == 126) {
            n = (in.read() << 8) | in.read();
        } else if (n == 127) {
            n = 0;
            for (int i = 0; i < 8; i++) {
                n = (n << 8) | in.read();
            }
        }
        byte[] payload = in.readNBytes((int) n);
        byte[] out = new byte[payload.length + 1];
        out[0] = (byte) (b0 & 0x0f);
        System.arraycopy(payload, 0, out, 1, payload.length);
        return out;
    }

    /** @return true once the server closed the TCP connection (reads EOF), reading and dropping anything before it */
    public boolean closedByServer() {
        try {
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // drain
            }
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    /** @return bytes that can be read now without blocking: whether the server has answered yet */
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
