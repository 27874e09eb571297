package io.github.socketdock.testing;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client on a raw socket that keeps sending text frames as fast as the relay takes them while
 * reading everything it is sent, and that answers the server's close frame as RFC 6455 asks: it
 * stops sending, replies with a close frame and reads on until the server closes the TCP
 * connection. What it saw is its {@link #outcome()}: whether the close frame came before the
 * connection ended, and how the connection ended.
 */
public final class BusyClient implements AutoCloseable {

    /** How a connection ended, as the client saw it. */
    public record Outcome(int closeCode, String end) {

        /** No close frame arrived before the connection ended. */
        public static final int NO_CLOSE_FRAME = -1;

        /** @return whether the close frame came, and then the server ended the connection with EOF */
        public boolean closedProperly() {
            return closeCode != NO_CLOSE_FRAME && "eof".equals(end);
        }
    }

    private final RawSocket socket;
    private final byte[] frame;
    private final Object writing = new Object();
    private volatile boolean closing;
    private final AtomicLong framesReceived = new AtomicLong();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    private BusyClient(RawSocket socket, int frameSize) {
        this.socket = socket;
        this.frame = RawSocket.frame(true, 0x1, "x".repeat(frameSize).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Upgrades a raw socket to {@code /ws} and starts its reader, and a writer that begins once
     * {@code go} completes (so many clients can upgrade before any of them loads the machine).
     *
     * @param frameSize the payload size of each text frame it sends
     */
    public static BusyClient start(int port, int frameSize, CompletableFuture<Void> go) throws IOException {
        RawSocket s = new RawSocket(port);
        try {
            String head = s.upgrade();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        BusyClient c = new BusyClient(s, frameSize);
        c.thread("writer", () -> {
            go.join();
            c.writeUntilClosing();
        });
        c.thread("reader", c::readUntilEnd);
        return c;
    }

    /**
     * Many busy clients that upgrade first and all begin writing only once every one has upgraded
     * (so the load does not slow the later upgrades down).
     */
    public static final class Crowd implements AutoCloseable {
        private final List<BusyClient> clients = new ArrayList<>();
        private final CompletableFuture<Void> go = new CompletableFuture<>();

        private Crowd() {
        }

        /** @return {@code count} clients upgraded to {@code /ws} on {@code port}, all writing */
        public static Crowd start(int port, int count, int frameSize) throws IOException {
            Crowd crowd = new Crowd();
            try {
                for (int i = 0; i < count; i++) {
                    crowd.clients.add(BusyClient.start(port, frameSize, crowd.go));
                }
            } catch (IOException e) {
                crowd.close();
                throw e;
            }
            crowd.go.complete(null);
            return crowd;
        }

        /** @return the data frames each client has received so far */
        public List<Long> framesReceived() {
            return clients.stream().map(BusyClient::framesReceived).toList();
        }

        /**
         * Waits (at most 30 s each) for every client's connection to end.
         *
         * @return what each client saw that was not a close frame with {@code code} followed by EOF
         */
        public List<String> endedOtherwiseThan(int code) throws Exception {
            List<String> improper = new ArrayList<>();
            for (BusyClient c : clients) {
                Outcome o = c.outcome().get(30, TimeUnit.SECONDS);
                if (o.closeCode() != code || !o.closedProperly()) {
                    improper.add(o.toString());
                }
            }
            return improper;
        }

        @Override
        public void close() throws IOException {
            go.complete(null);
            for (BusyClient c : clients) {
                c.close();
            }
        }
    }

    private void thread(String role, Runnable r) {
        Thread t = new Thread(r, "busy-" + role + "-" + socket.localPort());
        t.setDaemon(true);
        t.start();
    }

    /** @return data frames received from the server so far (echoes, with the loopback backend) */
    public long framesReceived() {
        return framesReceived.get();
    }

    /** @return completes once the connection ended, with what the client saw */
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    private void writeUntilClosing() {
        try {
            while (!closing) {
                synchronized (writing) {
                    if (closing) {
                        return;
                    }
                    socket.write(frame);
                }
            }
        } catch (IOException e) {
            // the server ended the connection: the reader reports how
        }
    }

    private void readUntilEnd() {
        int code = Outcome.NO_CLOSE_FRAME;
        try {
            while (true) {
                byte[] f = socket.readFrame();
                if (f[0] == 0x9) {
                    // a ping: answered, as a client library would, so a long run is not dropped
                    synchronized (writing) {
                        socket.write(RawSocket.frame(true, 0xA, java.util.Arrays.copyOfRange(f, 1, f.length)));
                    }
                    continue;
                }
                if (f[0] != 0x8) {
                    if (f[0] == 0x1 || f[0] == 0x2) {
                        framesReceived.incrementAndGet();
                    }
                    continue;
                }
                code = RawSocket.closeCode(f);
                closing = true;
                synchronized (writing) {
                    socket.write(RawSocket.frame(true, 0x8, new byte[] {(byte) (code >> 8), (byte) code}));
                }
                socket.readToEof(0, Duration.ofSeconds(30));
                outcome.complete(new Outcome(code, socket.endedWithReset() ? "reset" : "eof"));
                return;
            }
        } catch (SocketTimeoutException e) {
            outcome.complete(new Outcome(code, "timed out: " + e.getMessage()));
        } catch (SocketException e) {
            outcome.complete(new Outcome(code, "reset: " + e.getMessage()));
        } catch (IOException e) {
            outcome.complete(new Outcome(code, "eof"));
        } finally {
            closing = true;
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        socket.close();
    }
}
