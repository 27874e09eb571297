package io.github.socketdock.internal.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.socketdock.harness.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When an event counts as delivered, on the relay's clock (the ordering window is 50 ms here). */
class DeliveryTest {

    private static final Duration WINDOW = Duration.ofMillis(50);
    private final ManualTicker ticker = new ManualTicker();
    private final Delivery d = new Delivery(ticker, WINDOW);

    @Test
    void aSentTryCountsOnceItsAnswerBeginsOrTheWindowPasses() {
        d.sent(1);
        ticker.advance(Duration.ofMillis(49));
        assertThat(d.future()).isNotDone();
        ticker.advance(Duration.ofMillis(1));
        assertThat(d.future()).isCompleted();

        Delivery answered = new Delivery(ticker, WINDOW);
        answered.sent(1);
        answered.answering(1);
        assertThat(answered.future()).isCompleted();
    }

    @Test
    void a503ThatCameBeforeItsTryWasFullySentStillHoldsTheEventBack() {
        // the backend answered 503 before it read the whole request: the try's "sent" comes after
        d.declined(1);
        d.sent(1);
        ticker.advance(Duration.ofSeconds(10));
        assertThat(d.future()).as("the refused try's window does not deliver it").isNotDone();
        d.sent(2);
        d.answering(2);
        assertThat(d.future()).isCompleted();
    }

    @Test
    void aRetryWhoseAnswerIsHeldOpenCountsOnceItsOwnWindowPassed() {
        // a Credo mediator that answered 503 once holds the retry's answer open like any other
        d.sent(1);
        d.declined(1);
        ticker.advance(Duration.ofSeconds(1));
        d.sent(2);
        ticker.advance(Duration.ofMillis(49));
        assertThat(d.future()).isNotDone();
        ticker.advance(Duration.ofMillis(1));
        assertThat(d.future()).isCompleted();
    }

    @Test
    void aTryLostBeforeTheWindowPassedHoldsTheEventUntilARetryCounts() {
        d.sent(1);
        ticker.advance(Duration.ofMillis(10));
        d.declined(1); // the connection failed before any answer: it will be tried again
        ticker.advance(Duration.ofSeconds(1));
        assertThat(d.future()).as("the lost try's window does not deliver it").isNotDone();
        d.sent(2);
        d.answering(1); // late news of the lost try counts for nothing
        assertThat(d.future()).isNotDone();
        d.answering(2);
        assertThat(d.future()).isCompleted();
    }

    @Test
    void aTryLostAfterTheWindowPassedLeavesTheEventDelivered() {
        d.sent(1);
        ticker.advance(WINDOW);
        assertThat(d.future()).isCompleted();
        d.declined(1);
        d.ended(new BackendCall.Ending(BackendCall.Outcome.UNDELIVERED, 503, null));
        assertThat(d.future()).as("later events went already: the relay closes the socket instead").isCompletedWithValue(null);
    }

    @Test
    void aTryLostAfterDeliveryIsUnsettledUntilARetryCountsByTheSameRule() {
        Delivery early = new Delivery(ticker, WINDOW);
        early.sent(1);
        assertThat(early.declinedTry(1)).as("lost before it was delivered: the relay waits for it anyway").isNull();

        d.sent(1);
        ticker.advance(WINDOW);
        assertThat(d.future()).isCompleted();
        // a backend killed while it held the answer: tried again, and the disconnect waits for it
        java.util.concurrent.CompletableFuture<Void> retried = d.declinedTry(1);
        assertThat(retried).isNotDone();
        d.sent(2);
        ticker.advance(Duration.ofMillis(49));
        assertThat(retried).isNotDone();
        ticker.advance(Duration.ofMillis(1));
        assertThat(retried).as("the retry's answer is held open: its window settles it").isCompleted();

        java.util.concurrent.CompletableFuture<Void> again = d.declinedTry(2);
        assertThat(again).isNotDone();
        assertThat(d.declinedTry(2)).as("the same wait, however often it is told").isSameAs(again);
        d.ended(new BackendCall.Ending(BackendCall.Outcome.UNDELIVERED, 503, null));
        assertThat(again).as("retries ran out: settled, the relay closes the socket").isCompleted();
        assertThat(d.future()).isCompletedWithValue(null);
    }

    @Test
    void withoutAWindowOnlyAnAnswerDelivers() {
        Delivery connect = new Delivery(ticker, null);
        connect.sent(1);
        ticker.advance(Duration.ofMinutes(1));
        assertThat(connect.future()).isNotDone();
        connect.answering(1);
        assertThat(connect.future()).isCompleted();
    }

    @Test
    void anEventUndeliveredBeforeItCountedFails() {
        d.sent(1);
        d.declined(1);
        d.ended(new BackendCall.Ending(BackendCall.Outcome.UNDELIVERED, 503, null));
        assertThat(d.future()).isCompletedExceptionally();
    }
}
