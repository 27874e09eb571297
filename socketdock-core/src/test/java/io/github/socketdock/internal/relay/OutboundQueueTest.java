package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.github.socketdock.ConnectionClosedException;
import io.github.socketdock.QueueFullException;
import io.github.socketdock.harness.ManualTicker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * The one way frames go to a client: pooled payloads go back exactly when Jetty wrote the frame,
 * failed it, or the frame was refused; the bounds hold; frames sent before the socket opened are
 * held in order and go out first, or fail if it never opens. Jetty's core session is mocked: the
 * point is who releases what, when, and in which order frames reach Jetty.
 */
class OutboundQueueTest {

    private final ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
    private final CoreSession core = mock(CoreSession.class);
    private final ByteBudget budget = new ByteBudget(1 << 20);
    private final ManualTicker ticker = new ManualTicker();
    private final List<Integer> written = new ArrayList<>();

    private OutboundQueue queue(long maxQueuedBytes) {
        return new OutboundQueue("c1", maxQueuedBytes, 1 << 20, budget, ticker, written::add);
    }

    private OutboundQueue open(long maxQueuedBytes) {
        OutboundQueue q = queue(maxQueuedBytes);
        q.open(core);
        return q;
    }

    private RetainableByteBuffer body(String text) {
        RetainableByteBuffer.Mutable b = pool.acquire(64, false);
        b.put(text.getBytes(StandardCharsets.UTF_8));
        return b;
    }

    private Callback lastCallback(int calls) {
        ArgumentCaptor<Callback> cb = ArgumentCaptor.forClass(Callback.class);
        verify(core, times(calls)).sendFrame(any(), cb.capture(), eq(false));
        return cb.getAllValues().get(calls - 1);
    }

    @Test
    void aPooledUtf8BodyIsTheTextFramesPayloadAndGoesBackOnceWritten() {
        RetainableByteBuffer body = body("hello ✓");
        int capacity = body.capacity();
        CompletableFuture<Void> done = open(1 << 20).offer(OutFrame.pooled(OpCode.TEXT, body));

        ArgumentCaptor<Frame> frame = ArgumentCaptor.forClass(Frame.class);
        ArgumentCaptor<Callback> cb = ArgumentCaptor.forClass(Callback.class);
        verify(core).sendFrame(frame.capture(), cb.capture(), eq(false));
        assertThat(frame.getValue().getOpCode()).isEqualTo(OpCode.TEXT);
        assertThat(frame.getValue().getPayloadAsUTF8()).isEqualTo("hello ✓");
        assertThat(pool.getLeaks()).as("held while Jetty writes").hasSize(1);
        assertThat(budget.used()).as("the budget counts the whole buffer, not only the payload").isEqualTo(capacity);

        cb.getValue().succeeded();
        assertThat(pool.getLeaks()).isEmpty();
        assertThat(done).isCompleted();
        assertThat(budget.used()).isZero();
        assertThat(written).containsExactly("hello ✓".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aFrameThatFailsGivesItsBufferBackToo() {
        CompletableFuture<Void> done = open(1 << 20).offer(OutFrame.pooled(OpCode.BINARY, body("lost")));
        lastCallback(1).failed(new java.io.IOException("broken pipe"));
        assertThat(pool.getLeaks()).isEmpty();
        assertThat(done).isCompletedExceptionally();
        assertThat(budget.used()).isZero();
        assertThat(written).isEmpty();
    }

    @Test
    void aRefusedFrameGivesItsBufferBackAtOnce() {
        OutboundQueue small = open(8);
        small.offer(OutFrame.pooled(OpCode.TEXT, body("12345678"))); // fills the queue: a first frame always goes
        CompletableFuture<Void> refused = small.offer(OutFrame.pooled(OpCode.TEXT, body("one too many")));
        assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(QueueFullException.class);
        assertThat(pool.getLeaks()).as("only the first frame's buffer, still being written").hasSize(1);

        small.shut();
        CompletableFuture<Void> closed = small.offer(OutFrame.pooled(OpCode.BINARY, body("late")));
        assertThatThrownBy(closed::get).hasCauseInstanceOf(ConnectionClosedException.class);
        assertThat(pool.getLeaks()).hasSize(1);
        verify(core, times(1)).sendFrame(any(), any(), eq(false));
    }

    @Test
    void framesOverTheFrameBoundAreRefusedEvenWhenTheyAreTiny() {
        OutboundQueue q = open(1 << 20);
        for (int i = 0; i < OutboundQueue.MAX_QUEUED_FRAMES; i++) {
            assertThat(q.offer(OutFrame.text("x"))).isNotCompletedExceptionally();
        }
        assertThatThrownBy(() -> q.offer(OutFrame.text("x")).get()).hasCauseInstanceOf(QueueFullException.class);
        lastCallback(OutboundQueue.MAX_QUEUED_FRAMES).succeeded();
        assertThat(q.offer(OutFrame.text("x"))).as("one written, one more fits").isNotCompletedExceptionally();
    }

    @Test
    void framesSentBeforeTheSocketOpensAreHeldInOrderWithinTheBoundsAndGoFirst() {
        OutboundQueue q = queue(12);
        CompletableFuture<Void> first = q.offer(OutFrame.text("held-1"));
        CompletableFuture<Void> second = q.offer(OutFrame.text("held"));
        CompletableFuture<Void> over = q.offer(OutFrame.text("too many"));
        assertThat(over).as("held frames count against the queue's bounds").isCompletedExceptionally();
        verify(core, never()).sendFrame(any(), any(), eq(false));
        assertThat(first).isNotDone();

        q.open(core);
        CompletableFuture<Void> after = q.offer(OutFrame.text("x"));
        ArgumentCaptor<Frame> frames = ArgumentCaptor.forClass(Frame.class);
        InOrder order = inOrder(core);
        order.verify(core, times(3)).sendFrame(frames.capture(), any(), eq(false));
        assertThat(frames.getAllValues()).extracting(Frame::getPayloadAsUTF8).containsExactly("held-1", "held", "x");
        assertThat(second).isNotDone();
        assertThat(after).isNotCompletedExceptionally();
    }

    @Test
    void framesHeldForASocketThatNeverOpensFailAsClosedAndGiveTheirBuffersBack() {
        OutboundQueue q = queue(1 << 20);
        CompletableFuture<Void> held = q.offer(OutFrame.pooled(OpCode.BINARY, body("for nobody")));
        assertThat(budget.used()).isPositive();
        q.abandon();
        assertThatThrownBy(held::get).hasCauseInstanceOf(ConnectionClosedException.class);
        assertThat(q.offer(OutFrame.text("later"))).isCompletedExceptionally();
        assertThat(pool.getLeaks()).isEmpty();
        assertThat(budget.used()).isZero();
        verify(core, never()).sendFrame(any(), any(), eq(false));
    }

    @Test
    void queuedFramesWaitSinceTheOldestWasQueuedOrTheLastWriteOnTheTicker() {
        OutboundQueue q = open(1 << 20);
        assertThat(q.waitingSince()).isEqualTo(-1);
        long start = ticker.nanos();
        q.offer(OutFrame.text("a"));
        ticker.advance(Duration.ofSeconds(5));
        q.offer(OutFrame.text("b"));
        assertThat(q.waitingSince()).isEqualTo(start);
        lastCallback(2).succeeded();
        assertThat(q.waitingSince()).as("progress: the wait starts again").isEqualTo(start + Duration.ofSeconds(5).toNanos());
    }
}
