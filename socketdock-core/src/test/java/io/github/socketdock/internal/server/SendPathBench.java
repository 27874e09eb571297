package io.github.socketdock.internal.server;

import io.github.socketdock.internal.relay.OutFrame;
import io.github.socketdock.internal.wire.ConnectionIds;
import io.github.socketdock.internal.wire.Envelope;
import io.github.socketdock.internal.wire.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.websocket.core.OpCode;
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
 * The relay's own work on {@code POST /socket/{id}/send} between Jetty's request and Jetty's
 * WebSocket send: the id check, the charset of the content type, and the body's check and copy
 * into a pooled payload (UTF-8) or strict decode and re-encode (other charsets). Run with
 * {@code -prof gc} for bytes per send.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SendPathBench {

    @Param({"1024"})
    public int size;

    private byte[] body;
    private ByteBuffer read;
    private ByteBufferPool bodies;
    private String id;

    @Setup
    public void setUp() {
        body = "x".repeat(size).getBytes(StandardCharsets.UTF_8);
        read = ByteBuffer.wrap(body).asReadOnlyBuffer();
        bodies = Envelope.newPool();
        id = ConnectionIds.next();
    }

    /**
     * A UTF-8 (or charset-less text) body, as Jetty hands it over: checked in place, copied into a
     * buffer of the relay's pool that becomes the frame's payload, and given back once written.
     */
    @Benchmark
    public int utf8Body() {
        if (!ConnectionIds.isWellFormed(id)) {
            throw new IllegalStateException();
        }
        Charset charset = ControlRoutes.textCharset("text/plain; charset=utf-8");
        if (!charset.equals(StandardCharsets.UTF_8) || !Utf8.isValid(read)) {
            throw new IllegalStateException();
        }
        OutFrame frame = OutFrame.copied(OpCode.TEXT, bodies, read);
        frame.release().run();
        return frame.size();
    }

    /** A body in another charset: decoded strictly, then encoded again by Jetty's text send. */
    @Benchmark
    public long otherCharsetBody() throws CharacterCodingException {
        if (!ConnectionIds.isWellFormed(id)) {
            throw new IllegalStateException();
        }
        Charset charset = ControlRoutes.textCharset("text/plain; charset=iso-8859-1");
        String text = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body)).toString();
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
