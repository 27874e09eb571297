package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.when;

import io.github.socketdock.Backend;
import io.github.socketdock.ConnectMode;
import io.github.socketdock.ControlApi;
import io.github.socketdock.KeepAlive;
import io.github.socketdock.Limits;
import io.github.socketdock.Message;
import io.github.socketdock.harness.ManualTicker;
import io.github.socketdock.internal.common.LimitedLog;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;

/**
 * The inbound pipe's demands. Races with the ticker thread (found in review): a frame read ahead
 * for a ping's answer is kept, in order, and replayed; a demand is never asked twice. And turns: a
 * socket that is read on and on gives its thread back.
 */
class RelayConnectionRaceTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private final AtomicInteger demands = new AtomicInteger();
    private final List<String> violations = new ArrayList<>();
    private ByteBudget budget = new ByteBudget(64L << 20, Runnable::run);
    /** The server's threads: tasks run at once unless a test queues them. */
    private Executor threads = Runnable::run;

    private RelayConnection open() throws Exception {
        Backend backend = mock(Backend.class);
        when(backend.onConnect(any())).thenReturn(CompletableFuture.completedFuture(null));
        when(backend.onMessage(any(), any())).thenAnswer(inv -> {
            Message m = inv.getArgument(1);
            delivered.add(m.isText() ? m.text() : "binary:" + m.data().remaining());
            CompletableFuture<Void> f = new CompletableFuture<>();
            held.add(f);
            return f;
        });
        URI endpoint = URI.create("http://127.0.0.1:1");
        Settings settings = new Settings(new Settings.Listen("127.0.0.1", 0, endpoint, null, List.of(), Set.of()),
                ControlApi.defaults(), KeepAlive.defaults(),
                Limits.defaults().withMaxConnections(100).withMaxConnectionsPerAddress(100).withMaxBufferedBytes(64L << 20),
                backend, new Settings.Connect(ConnectMode.NOTIFY, Duration.ofSeconds(60)), Duration.ofSeconds(1), null);
        Admissions admissions = new Admissions(100, 100);
        DockContext dock = new DockContext(settings, endpoint, new ConnectionRegistry(), admissions, budget,
                Events.counting(new LimitedLog(ticker, LimitedLog.DEFAULT_PER_WINDOW)), ticker, task -> threads.execute(task),
                new LimitedLog(ticker, LimitedLog.DEFAULT_PER_WINDOW));
        RelayConnection c = new RelayConnection(dock, admissions.admit(InetAddress.getLoopbackAddress()), Map.of(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
        CoreSession s = mock(CoreSession.class);
        when(s.isOutputOpen()).thenReturn(true);
        doAnswer(inv -> {
            if (demands.getAndIncrement() > 0) {
                violations.add("demand() while one was pending");
            }
            return null;
        }).when(s).demand();
        c.onOpen(s, Callback.NOOP);
        return c;
    }

    /** Jetty delivers a frame: only on a pending demand. */
    private void frame(RelayConnection c, String text, Callback cb) {
        assertThat(demands.decrementAndGet()).as("a frame needs a demand").isZero();
        c.onFrame(new Frame(OpCode.BINARY, ByteBuffer.wrap(text.getBytes())), cb);
    }

    @Test
    void aSocketReadOnAndOnGivesItsThreadBackEverySixteenDemands() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        threads = queued::add;
        RelayConnection c = open();
        List<Integer> turnEnds = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            if (demands.get() == 0) {
                // the demand waits on the pool, behind whatever else waits for a thread
                assertThat(queued).hasSize(1);
                turnEnds.add(i);
                queued.remove(0).run();
            }
            frame(c, "m" + i, Callback.NOOP);
            held.get(i).complete(null);                      // the backend takes it: the pipe demands
        }
        assertThat(turnEnds).as("frames read on a fresh turn").containsExactly(15, 31, 47);
        assertThat(delivered).hasSize(48);
        assertThat(violations).isEmpty();
    }

    @Test
    void aFrameArrivingWhileHousekeepRunsIsKeptInOrderAndNothingIsLost() throws Exception {
        RelayConnection c = open();
        assertThat(demands.get()).isEqualTo(1);
        frame(c, "m1", Callback.NOOP);                      // the backend holds m1: the pipe is busy
        ticker.advance(Duration.ofSeconds(20));
        c.housekeep(ticker.nanos());                         // PING, and a demand for its answer
        assertThat(demands.get()).isEqualTo(1);

        // the ticker thread's next housekeep read canAnswer (no early frame) just before the
        // Jetty thread delivers the client's data frame m2 on that demand:
        Field f = RelayConnection.class.getDeclaredField("deadlines");
        f.setAccessible(true);
        Deadlines real = (Deadlines) f.get(c);
        Deadlines spied = spy(real);
        f.set(c, spied);
        AtomicInteger m2Released = new AtomicInteger();
        boolean[] once = {true};
        doAnswer(inv -> {
            if (once[0]) {
                once[0] = false;
                frame(c, "m22", Callback.from(m2Released::incrementAndGet, x -> { }));
            }
            return inv.callRealMethod();
        }).when(spied).check(anyLong(), anyLong(), anyBoolean());
        ticker.advance(Duration.ofSeconds(20));
        c.housekeep(ticker.nanos());

        boolean sent3 = false;
        if (demands.get() == 1) {
            frame(c, "m333", Callback.NOOP);                   // stashed too: m2 is lost
            sent3 = true;
        }
        held.get(0).complete(null);                          // the backend takes m1: the pipe frees
        for (CompletableFuture<Void> h : new ArrayList<>(held)) {
            h.complete(null);
        }
        if (!sent3 && demands.get() == 1) {
            frame(c, "m333", Callback.NOOP);                   // the client's next frame, read when the pipe asks
        }
        for (CompletableFuture<Void> h : new ArrayList<>(held)) {
            h.complete(null);
        }
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        soft.assertThat(violations).isEmpty();
        soft.assertThat(delivered).as("every message, in order").containsExactly("binary:2", "binary:3", "binary:4");
        soft.assertThat(m2Released.get()).as("m2's buffer went back to Jetty").isEqualTo(1);
        soft.assertThat(budget.used()).as("nothing left counted").isZero();
        soft.assertAll();
    }

    @Test
    void aReplayedEarlyFrameKeepsAPendingDemandAndThePipeNeverDemandsTwice() throws Exception {
        budget = spy(new ByteBudget(64L << 20, Runnable::run));
        RelayConnection[] conn = new RelayConnection[1];
        boolean[] once = {true};
        doAnswer(inv -> {
            inv.callRealMethod();
            if (once[0] && conn[0] != null) {
                once[0] = false;
                // the ticker's housekeep runs after pipeFree took the early frame, before its replay
                conn[0].housekeep(ticker.nanos());
            }
            return null;
        }).when(budget).releaseUnfinished(anyLong());
        RelayConnection c = open();
        frame(c, "m1", Callback.NOOP);                      // held by the backend
        ticker.advance(Duration.ofSeconds(20));
        c.housekeep(ticker.nanos());                         // PING; demand for its answer
        frame(c, "m22", Callback.NOOP);                      // a data frame instead: kept as early
        ticker.advance(Duration.ofSeconds(30));
        c.housekeep(ticker.nanos());                         // nothing: a frame waits unread
        conn[0] = c;
        held.get(0).complete(null);                          // pipe frees: m22 replayed
        held.get(1).complete(null);                          // backend takes m22: the pipe demands
        assertThat(violations).isEmpty();
    }

    @Test
    void aFrameReadWhileAnEarlyFrameIsReplayedDoesNotOvertakeIt() throws Exception {
        budget = spy(new ByteBudget(64L << 20, Runnable::run));
        RelayConnection[] conn = new RelayConnection[1];
        Thread[] ticking = new Thread[1];
        doAnswer(inv -> {
            inv.callRealMethod();
            if (ticking[0] == null && conn[0] != null) {
                // pipeFree is replaying the early frame m22: meanwhile, on the ticker's thread, a
                // ping is overdue, and the client's next frame arrives on the demand for its answer
                ticking[0] = new Thread(() -> {
                    conn[0].housekeep(ticker.nanos());
                    if (demands.get() == 1) {
                        frame(conn[0], "m333", Callback.NOOP);
                    }
                }, "ticker");
                ticking[0].start();
                await().atMost(Duration.ofSeconds(5)).until(() -> ticking[0].getState() == Thread.State.BLOCKED
                        || ticking[0].getState() == Thread.State.TERMINATED);
            }
            return null;
        }).when(budget).releaseUnfinished(anyLong());
        RelayConnection c = open();
        frame(c, "m1", Callback.NOOP);                       // held by the backend: the pipe is busy
        ticker.advance(Duration.ofSeconds(20));
        c.housekeep(ticker.nanos());                          // PING, and a demand for its answer
        frame(c, "m22", Callback.NOOP);                       // a data frame instead: kept as early
        ticker.advance(Duration.ofSeconds(30));
        conn[0] = c;
        held.get(0).complete(null);                           // the pipe frees: m22 is replayed
        ticking[0].join(5000);
        for (int i = 0; i < 3; i++) {
            for (CompletableFuture<Void> h : new ArrayList<>(held)) {
                h.complete(null);
            }
        }
        assertThat(delivered).as("messages in the order the client sent them")
                .containsExactly("binary:2", "binary:3", "binary:4");
        assertThat(violations).isEmpty();
    }
}
