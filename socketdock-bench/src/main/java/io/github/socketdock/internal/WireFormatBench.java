package io.github.socketdock.internal;

import io.github.socketdock.Connection;
import io.github.socketdock.Message;
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
 * message, and its signature when signing is on. Run with {@code -prof gc} for bytes per message.
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
    private byte[] body;
    private WebhookSigner signer;

    @Setup
    public void setUp() {
        connection = new BenchConnection();
        text = Message.text("x".repeat(size));
        byte[] bytes = new byte[size];
        new Random(1).nextBytes(bytes);
        bytes[0] = (byte) 0xff; // not UTF-8: the base64 path
        binary = Message.binary(bytes);
        binaryUtf8 = Message.binary("x".repeat(size).getBytes(java.nio.charset.StandardCharsets.UTF_8)); // sent as text
        body = WireFormat.message(connection, text);
        signer = new WebhookSigner(List.of("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])),
                java.time.Clock.systemUTC());
    }

    @Benchmark
    public byte[] textMessageEnvelope() {
        return WireFormat.message(connection, text);
    }

    @Benchmark
    public byte[] binaryMessageEnvelope() {
        return WireFormat.message(connection, binary);
    }

    @Benchmark
    public byte[] binaryUtf8MessageEnvelope() {
        return WireFormat.message(connection, binaryUtf8);
    }

    @Benchmark
    public byte[] connectEnvelope() {
        return WireFormat.connect(connection);
    }

    @Benchmark
    public String signature() {
        return signer.signature("msg_0123456789abcdef0123456789abcdef", 1_700_000_000L, body);
    }
}
