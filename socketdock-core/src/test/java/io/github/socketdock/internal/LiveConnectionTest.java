package io.github.socketdock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.socketdock.ConnectionClosedException;
import io.github.socketdock.QueueFullException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.assertj.core.api.Assertions;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * A {@code /send} body read into a pooled buffer is the frame's payload, and goes back to its pool
 * exactly when Jetty has written the frame, failed it, or the frame was refused. Jetty's session is
 * mocked: the point is who releases the buffer when.
 */
class LiveConnectionTest {

    private final ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
    private final WebSocketSession session = mock(WebSocketSession.class);
    private final CoreSession core = mock(CoreSession.class);
    private final ByteBudget budget = new ByteBudget(1 << 20);

    @BeforeEach
    void openSession() {
        when(session.isOpen()).thenReturn(true);
        when(session.getCoreSession()).thenReturn(core);
    }

    private LiveConnection connection(long maxQueuedBytes) {
        return new LiveConnection(ConnectionIds.next(), session, Map.of(), new InetSocketAddress("127.0.0.1", 5000),
                URI.create("http://127.0.0.1:8765"), maxQueuedBytes, 1 << 20, budget, new RelayStats());
    }

    private RetainableByteBuffer body(String text) {
        RetainableByteBuffer.Mutable b = pool.acquire(64, false);
        b.put(text.getBytes(StandardCharsets.UTF_8));
        return b;
    }

    @Test
    void aUtf8BodyIsTheTextFramesPayloadAndGoesBackOnceWritten() throws Exception {
        RetainableByteBuffer body = body("hello ✓");
        int capacity = body.capacity();
        CompletableFuture<Void> done = connection(1 << 20).sendUtf8Text(body);

        ArgumentCaptor<Frame> frame = ArgumentCaptor.forClass(Frame.class);
        ArgumentCaptor<Callback> written = ArgumentCaptor.forClass(Callback.class);
        verify(core).sendFrame(frame.capture(), written.capture(), eq(false));
        assertThat(frame.getValue().getOpCode()).isEqualTo(OpCode.TEXT);
        assertThat(frame.getValue().getPayloadAsUTF8()).isEqualTo("hello ✓");
        assertThat(pool.getLeaks()).as("held while Jetty writes").hasSize(1);
        assertThat(capacity).isGreaterThan("hello ✓".getBytes(StandardCharsets.UTF_8).length);
        assertThat(budget.used()).as("the budget counts the whole buffer, not only the payload").isEqualTo(capacity);

        written.getValue().succeeded();
        assertThat(pool.getLeaks()).isEmpty();
        assertThat(done).isCompleted();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aFrameThatFailsGivesItsBufferBackToo() {
        CompletableFuture<Void> done = connection(1 << 20).sendUtf8Text(body("lost"));
        ArgumentCaptor<Callback> written = ArgumentCaptor.forClass(Callback.class);
        verify(core).sendFrame(any(), written.capture(), eq(false));

        written.getValue().failed(new java.io.IOException("broken pipe"));
        assertThat(pool.getLeaks()).isEmpty();
        assertThat(done).isCompletedExceptionally();
    }

    @Test
    void aRefusedFrameGivesItsBufferBackAtOnce() {
        LiveConnection small = connection(8);
        small.sendUtf8Text(body("12345678")); // fills the queue: a first frame always goes
        CompletableFuture<Void> refused = small.sendUtf8Text(body("one too many"));
        Assertions.assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(QueueFullException.class);
        assertThat(pool.getLeaks()).as("only the first frame's buffer, still being written").hasSize(1);

        when(session.isOpen()).thenReturn(false);
        CompletableFuture<Void> closed = connection(1 << 20).sendBinary(body("late"));
        Assertions.assertThatThrownBy(closed::get).hasCauseInstanceOf(ConnectionClosedException.class);
        assertThat(pool.getLeaks()).hasSize(1);
        verify(session, never()).sendBinary(any(), any());
    }

    @Test
    void aBinaryBodyIsTheBinaryFramesPayloadAndGoesBackOnceWritten() {
        CompletableFuture<Void> done = connection(1 << 20).sendBinary(body("\u0001\u0002"));

        ArgumentCaptor<ByteBuffer> payload = ArgumentCaptor.forClass(ByteBuffer.class);
        ArgumentCaptor<org.eclipse.jetty.websocket.api.Callback> written =
                ArgumentCaptor.forClass(org.eclipse.jetty.websocket.api.Callback.class);
        verify(session).sendBinary(payload.capture(), written.capture());
        assertThat(payload.getValue().remaining()).isEqualTo(2);
        assertThat(pool.getLeaks()).hasSize(1);

        written.getValue().succeed();
        assertThat(pool.getLeaks()).isEmpty();
        assertThat(done).isCompleted();
    }
}
