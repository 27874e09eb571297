package io.github.socketdock.internal.backend;

import io.github.socketdock.Connection;
import io.github.socketdock.Message;
import io.github.socketdock.internal.wire.Envelope;
import io.github.socketdock.internal.wire.WireFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The envelope encoding of the {@code http} backend's hot path: one message POST body per client
 * message, encoded into a buffer of a Jetty pool and given back, as a backend call does; and its
 * signature when signing is on. Run with {@code -prof gc} for bytes per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireFormatBench {

    @Param({"1024"})
    public int size;

    private Connection connection;
    private Message text;
    private Message binary;
    private Message binaryUtf8;
    /** The body the signature benchmark signs: pooled, as a call's body is, and kept for the whole run. */
    private Envelope body;
    private WebhookSigner signer;
    private WireFormat.Sink<Envelope> pooled;

    @Setup
    public void setUp() {
        connection = new BenchConnection();
        text = Message.text("x".repeat(size));
        byte[] bytes = new byte[size];
        new Random(1).nextBytes(bytes);
        bytes[0] = (byte) 0xff; // not UTF-8: the base64 path
        binary = Message.binary(bytes);
        binaryUtf8 = Message.binary("x".repeat(size).getBytes(java.nio.charset.StandardCharsets.UTF_8)); // sent as text
        pooled = WireFormat.pooled(Envelope.newPool());
        body = WireFormat.message(connection, text, pooled);
        signer = new WebhookSigner(List.of("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])),
                java.time.Clock.systemUTC());
    }

    @Benchmark
    public int textMessageEnvelope() {
        return sent(WireFormat.message(connection, text, pooled));
    }

    @Benchmark
    public int binaryMessageEnvelope() {
        return sent(WireFormat.message(connection, binary, pooled));
    }

    @Benchmark
    public int binaryUtf8MessageEnvelope() {
        return sent(WireFormat.message(connection, binaryUtf8, pooled));
    }

    @Benchmark
    public int connectEnvelope() {
        return sent(WireFormat.connect(connection, pooled));
    }

    /** Gives the body back to its pool, as the end of its call does. @return its length */
    private static int sent(Envelope body) {
        int length = (int) body.length();
        body.release();
        return length;
    }

    @Benchmark
    public String signature() {
        return signer.signature("msg_0123456789abcdef0123456789abcdef", 1_700_000_000L, body);
    }
}
