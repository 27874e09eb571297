package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.Receipt;
import io.github.socketdock.harness.ManualTicker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The proof rules of {@link Receipts}, on a manual clock with pings recorded instead of sent: a
 * receipt needs the pong of a ping sent after the frame's write completed; a pong proves every
 * ping up to its counter; one receipt ping in flight at a time.
 */
class ReceiptsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManualTicker ticker = new ManualTicker();
    private final List<Long> pings = new ArrayList<>();
    private final AtomicInteger timeouts = new AtomicInteger();
    private final Receipts receipts = new Receipts("0123456789abcdef0123456789abcdef", ticker, 8, payload -> pings.add(payload.getLong(0)),
            w -> timeouts.incrementAndGet());

    private static ByteBuffer pong(long counter) {
        return ByteBuffer.allocate(8).putLong(0, counter);
    }

    /** @return the pong of the {@code n}th ping sent (1 for the first): pings carry counters from a random start */
    private ByteBuffer pongOf(int n) {
        return pong(pings.get(n - 1));
    }

    @Test
    void aPongOfAPingSentAfterTheWriteDeliversWithItsRoundTrip() {
        Receipts.Waiter w = receipts.expect(WAIT);
        assertThat(pings).as("no ping before the write completed").isEmpty();
        receipts.written(w);
        assertThat(pings).hasSize(1);
        ticker.advance(Duration.ofMillis(7));
        assertThat(receipts.pong(pongOf(1))).isTrue();
        assertThat(w.result()).isCompletedWithValue(Receipt.proven(Duration.ofMillis(7)));
        assertThat(receipts.waiting()).isZero();
    }

    @Test
    void aPingSentBeforeTheWriteCompletedProvesNothingForIt() {
        ByteBuffer keepAlive = receipts.nextPing(); // sent while the frame is still queued
        Receipts.Waiter w = receipts.expect(WAIT);
        receipts.written(w);
        assertThat(pings).as("its own ping, after the write").containsExactly(keepAlive.getLong(0) + 1);
        receipts.pong(keepAlive);
        assertThat(w.result()).isNotDone();
        receipts.pong(pongOf(1));
        assertThat(w.result().join().delivered()).isTrue();
    }

    @Test
    void aPongWithACounterNeverSentOrAnotherPayloadAcknowledgesNothing() {
        Receipts.Waiter w = receipts.expect(WAIT);
        receipts.written(w);
        long sent = pings.get(0);
        assertThat(receipts.pong(pong(sent + 1))).as("the next counter, not sent yet").isFalse();
        assertThat(receipts.pong(pong(sent - 1))).as("before the first").isFalse();
        assertThat(receipts.pong(pong(1))).as("a guess").isFalse();
        assertThat(receipts.pong(ByteBuffer.allocate(0))).isFalse();
        assertThat(receipts.pong(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1}))).isFalse();
        assertThat(receipts.pong(null)).isFalse();
        assertThat(w.result()).isNotDone();
    }

    @Test
    void aBurstWrittenWithinOneRoundTripCostsTwoPings() {
        Receipts big = new Receipts("0123456789abcdef0123456789abcdef", ticker, 1000, payload -> pings.add(payload.getLong(0)), w -> { });
        List<Receipts.Waiter> burst = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Receipts.Waiter w = big.expect(WAIT);
            burst.add(w);
            big.written(w);
        }
        assertThat(pings).hasSize(1);
        big.pong(pongOf(1));
        assertThat(pings).as("one more for the frames written after the first ping").hasSize(2);
        big.pong(pongOf(2));
        assertThat(burst).allSatisfy(w -> assertThat(w.result().join().delivered()).isTrue());
        assertThat(big.receiptPings()).isEqualTo(2);
    }

    @Test
    void aLaterPingsPongProvesTheEarlierOnesToo() {
        Receipts.Waiter w = receipts.expect(WAIT);
        receipts.written(w);
        ByteBuffer keepAlive = receipts.nextPing(); // the second ping: the client may answer only the latest
        receipts.pong(keepAlive);
        assertThat(w.result().join().delivered()).isTrue();
    }

    @Test
    void notProvenInTimeIsATimeoutAndTheBoundFreesItsPlace() {
        Receipts.Waiter w = receipts.expect(Duration.ofSeconds(2));
        receipts.written(w);
        ticker.advance(Duration.ofSeconds(2));
        assertThat(w.result()).isCompletedWithValue(Receipt.timedOut());
        assertThat(timeouts).hasValue(1);
        assertThat(receipts.waiting()).isZero();
        receipts.pong(pongOf(1)); // late: changes nothing
        assertThat(w.result()).isCompletedWithValue(Receipt.timedOut());
    }

    @Test
    void atTheBoundAReceiptIsRefused() {
        for (int i = 0; i < 8; i++) {
            assertThat(receipts.expect(WAIT)).isNotNull();
        }
        assertThat(receipts.expect(WAIT)).isNull();
    }

    @Test
    void theClientsAnswerToSocketDocksCloseDeliversWhatWasWrittenAndTheRestSaysClosed() {
        Receipts.Waiter written = receipts.expect(WAIT);
        Receipts.Waiter queued = receipts.expect(WAIT);
        receipts.written(written);
        assertThat(receipts.closing()).as("a ping before the close, for the frame written and not proven").isNotNull();
        receipts.closeAnswered();
        assertThat(written.result().join().delivered()).isTrue();
        receipts.closed();
        receipts.notWritten(queued);
        assertThat(queued.result()).isCompletedWithValue(Receipt.closed());
        assertThat(receipts.expect(WAIT).result()).as("after the close").isCompletedWithValue(Receipt.closed());
    }

    @Test
    void aProbeCompletesWithItsOwnPingsRoundTrip() {
        CompletableFuture<Duration> rtt = receipts.probe();
        ticker.advance(Duration.ofMillis(3));
        receipts.pong(pongOf(1));
        assertThat(rtt).isCompletedWithValue(Duration.ofMillis(3));
    }

    @Test
    void aReceiptPingThatCouldNotBeSentIsNotAwaitedAndAProbeThenFailsAtOnce() {
        AtomicInteger tries = new AtomicInteger();
        Receipts shut = new Receipts("0123456789abcdef0123456789abcdef", ticker, 8, payload -> {
            tries.incrementAndGet();
            return false; // the connection's output is closed
        }, w -> { });
        Receipts.Waiter first = shut.expect(WAIT);
        shut.written(first);
        assertThat(shut.probe()).isCompletedExceptionally();
        Receipts.Waiter second = shut.expect(WAIT);
        shut.written(second);
        assertThat(tries).as("the second write tries again: the first ping was never out").hasValue(3);
        assertThat(shut.receiptPings()).as("none went out").isZero();
    }

    /**
     * Random schedules of writes, keep-alive pings, pongs (late, repeated, out of order, for
     * counters never sent) and the clock: a frame is acknowledged only by a pong whose ping was
     * sent after the frame's write completed, never before its write, and every frame written is
     * acknowledged once the client answers the pings that follow.
     */
    @Test
    void noReceiptIsEverGivenForAFrameWrittenAfterTheAcknowledgedPing() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            ManualTicker clock = new ManualTicker();
            // the order of writes and pings, as a logical clock: "after" is what a proof needs
            java.util.concurrent.atomic.AtomicLong order = new java.util.concurrent.atomic.AtomicLong();
            List<Long> sentAt = new ArrayList<>(); // when each ping was sent, by counter - 1
            List<Long> wire = new ArrayList<>(); // each ping's payload, by counter - 1
            Receipts r = new Receipts("0123456789abcdef0123456789abcdef", clock, 64, p -> wire.add(p.getLong(0)) && sentAt.add(order.incrementAndGet()), w -> { });
            List<Receipts.Waiter> waiters = new ArrayList<>();
            List<Long> writtenAt = new ArrayList<>(); // when each write completed, -1 until then
            for (int step = 0; step < 200; step++) {
                clock.advance(Duration.ofMillis(1)); // every event has a time of its own
                switch (random.nextInt(6)) {
                    case 0, 1 -> {
                        Receipts.Waiter w = r.expect(Duration.ofHours(1));
                        if (w != null) {
                            waiters.add(w);
                            writtenAt.add(-1L);
                        }
                    }
                    case 2 -> {
                        int i = writtenAt.indexOf(-1L);
                        if (i >= 0) {
                            writtenAt.set(i, order.incrementAndGet());
                            r.written(waiters.get(i));
                        }
                    }
                    case 3 -> {
                        wire.add(r.nextPing().getLong(0));
                        sentAt.add(order.incrementAndGet());
                    }
                    default -> {
                        long c = sentAt.isEmpty() ? 1 : 1 + random.nextInt(sentAt.size() + (random.nextInt(10) == 0 ? 3 : 0));
                        pongAndCheck(r, c, wire, waiters, writtenAt, sentAt, seed);
                    }
                }
            }
            // the client answers the latest ping until nothing is left to prove
            for (int round = 0; round < 3 && !sentAt.isEmpty(); round++) {
                pongAndCheck(r, sentAt.size(), wire, waiters, writtenAt, sentAt, seed);
            }
            for (int i = 0; i < waiters.size(); i++) {
                assertThat(waiters.get(i).result().isDone()).as("seed %d: frame %d written at %d, done", seed, i,
                        writtenAt.get(i)).isEqualTo(writtenAt.get(i) >= 0);
            }
        }
    }

    /**
     * A pong of the {@code c}th ping (one past the last: a counter never sent); every receipt it
     * gave is checked against the ping's send time.
     */
    private static void pongAndCheck(Receipts r, long c, List<Long> wire, List<Receipts.Waiter> waiters,
                                     List<Long> writtenAt, List<Long> sentAt, long seed) {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < waiters.size(); i++) {
            if (!waiters.get(i).result().isDone()) {
                open.add(i);
            }
        }
        long pingAt = c >= 1 && c <= sentAt.size() ? sentAt.get((int) c - 1) : -1;
        long onTheWire = wire.isEmpty() ? 1 : c <= wire.size() ? wire.get((int) c - 1) : wire.get(wire.size() - 1) + (c - wire.size());
        boolean ours = r.pong(pong(onTheWire));
        assertThat(ours).as("seed %d: pong %d of %d pings", seed, c, sentAt.size()).isEqualTo(pingAt >= 0);
        for (int i : open) {
            if (waiters.get(i).result().isDone()) {
                assertThat(waiters.get(i).result().join().delivered()).isTrue();
                assertThat(writtenAt.get(i)).as("seed %d: frame %d acknowledged before its write", seed, i).isNotNegative();
                assertThat(pingAt).as("seed %d: frame %d written at %d, proven by ping %d sent at %d", seed, i,
                        writtenAt.get(i), c, pingAt).isGreaterThan(writtenAt.get(i));
            }
        }
    }
}
