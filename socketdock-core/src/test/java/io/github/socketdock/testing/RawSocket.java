package io.github.socketdock.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    private volatile boolean reset;

    public RawSocket(int port) throws IOException {
        this(port, 30_000);
    }

    /** Connects to {@code 127.0.0.1:port}, waiting at most {@code timeoutMillis} to connect and for each read. */
    public RawSocket(int port, int timeoutMillis) throws IOException {
        this(null, port, timeoutMillis);
    }

    /** Connects to {@code 127.0.0.1:port} from {@code localAddress} (another loopback address, e.g. 127.0.0.2). */
    public static RawSocket from(String localAddress, int port) throws IOException {
        return new RawSocket(localAddress, port, 30_000);
    }

    private RawSocket(String localAddress, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        try {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** @return the client's port, which the relay sees as the connection's remote port */
    public int localPort() {
        return socket.getLocalPort();
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

    /** Writes, for a client that expects the server may already be gone; @return false on a reset or broken pipe. */
    public boolean tryWrite(byte[] bytes) {
        try {
            write(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Half-closes: sends EOF, still reads; @return false when the server had already closed. */
    public boolean shutdownOutput() {
        try {
            socket.shutdownOutput();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Drops the connection with a TCP reset. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    /** Reads a response head (up to the blank line); @return it, or what came before EOF. */
    public String readHead() throws IOException {
        return readHead(Integer.MAX_VALUE);
    }

    /** Reads a response head (up to the blank line) of at most {@code maxChars}; @return it, or what came before EOF. */
    public String readHead(int maxChars) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n") && head.length() < maxChars) {
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
        return head + readBody(head);
    }

    /** @return the body that follows {@code head} (its {@code Content-Length} bytes, as UTF-8) */
    public String readBody(String head) throws IOException {
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Sends a WebSocket upgrade for /ws with extra header lines; @return the response head. */
    public String upgrade(String... extraHeaderLines) throws IOException {
        return upgradeAt("/ws", extraHeaderLines);
    }

    /** Sends a WebSocket upgrade for {@code path} with extra header lines; @return the response head. */
    public String upgradeAt(String path, String... extraHeaderLines) throws IOException {
        write(upgradeRequest("0123456789abcdef".getBytes(StandardCharsets.US_ASCII), extraHeaderLines)
                .replaceFirst("^GET /ws ", "GET " + path + " "));
        return readHead();
    }

    /** @return a WebSocket upgrade request for /ws with this key and extra header lines */
    public static String upgradeRequest(byte[] key, String... extraHeaderLines) {
        StringBuilder req = new StringBuilder("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\n");
        for (String h : extraHeaderLines) {
            req.append(h).append("\r\n");
        }
        return req.append("\r\n").toString();
    }

    /** A masked client frame. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload) {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        return frame((fin ? 0x80 : 0) | opcode, mask, payload, payload.length, 0);
    }

    /**
     * Any client frame, also one no client library would send.
     *
     * @param firstByte FIN, RSV and opcode bits as they go on the wire
     * @param mask the 4 mask bytes, or null for an unmasked frame
     * @param declaredLength the payload length the header declares, whatever the payload's real length
     * @param minLengthBytes 0 for the shortest length encoding, 2 or 8 to use at least a 16- or a 64-bit length
     */
    public static byte[] frame(int firstByte, byte[] mask, byte[] payload, long declaredLength, int minLengthBytes) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(firstByte);
        int m = mask != null ? 0x80 : 0;
        long n = declaredLength;
        if (minLengthBytes == 0 && n >= 0 && n < 126) {
            f.write(m | (int) n);
        } else if (minLengthBytes <= 2 && n >= 0 && n < 65536) {
            f.write(m | 126);
            f.write((int) (n >> 8) & 0xff);
            f.write((int) n & 0xff);
        } else {
            f.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) (n >>> (8 * i)) & 0xff);
            }
        }
        if (mask != null) {
            f.write(mask, 0, 4);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i % 4]);
            }
        } else {
            f.writeBytes(payload);
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

    /** @return the close code of a close frame as {@link #readFrame()} returns it: 1005 if it carries none */
    public static int closeCode(byte[] frame) {
        return frame.length >= 3 ? ((frame[1] & 0xff) << 8) | (frame[2] & 0xff) : 1005;
    }

    /**
     * Reads until the server closes, keeping at most {@code keep} bytes; a reset counts as the close.
     *
     * @throws SocketTimeoutException if the server sends nothing for the read timeout, or still sends after
     *     {@code within}
     */
    public byte[] readToEof(int keep, Duration within) throws SocketTimeoutException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        long until = System.nanoTime() + within.toNanos();
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, Math.max(0, Math.min(n, keep - got.size())));
                if (System.nanoTime() > until) {
                    throw new SocketTimeoutException("still sending after " + within.toMillis() + " ms");
                }
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            // reset: the server is gone, which is what this waits for
            reset = true;
        }
        return got.toByteArray();
    }

    /** @return whether {@link #readToEof} ended with a TCP reset rather than EOF */
    public boolean endedWithReset() {
        return reset;
    }

    /** @return true once the server closed the TCP connection (reads EOF), reading and dropping anything before it */
    public boolean closedByServer() {
        try {
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // drain
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
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
