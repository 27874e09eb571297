package io.github.socketdock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SocketDockListener#of}: every listener hears every event in order, one failure does not silence the rest. */
class SocketDockListenerTest {

    @Test
    void combinedListenersHearEveryEventInTheOrderGiven() {
        List<String> heard = new ArrayList<>();
        SocketDockListener a = new SocketDockListener() {
            @Override
            public void sendAnswered(String connectionId, int status) {
                heard.add("a " + status);
            }
        };
        SocketDockListener b = new SocketDockListener() {
            @Override
            public void sendAnswered(String connectionId, int status) {
                heard.add("b " + status);
            }
        };
        SocketDockListener.of(a, b).sendAnswered("c", 200);
        assertThat(heard).containsExactly("a 200", "b 200");
        assertThat(SocketDockListener.of(a)).as("one listener is itself").isSameAs(a);
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersFromTheEventAndItsFailureIsThrownAfter() {
        SocketDockStats stats = new SocketDockStats();
        SocketDockListener failing = new SocketDockListener() {
            @Override
            public void messageIn(Connection connection, long bytes) {
                throw new IllegalStateException("first");
            }
        };
        SocketDockListener alsoFailing = new SocketDockListener() {
            @Override
            public void messageIn(Connection connection, long bytes) {
                throw new IllegalArgumentException("second");
            }
        };
        assertThatThrownBy(() -> SocketDockListener.of(failing, stats, alsoFailing).messageIn(null, 3))
                .isInstanceOf(IllegalStateException.class).hasMessage("first")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("second"));
        assertThat(stats.messagesIn()).isEqualTo(1);
    }

    @Test
    void statsCountWhatTheyHear() {
        SocketDockStats stats = new SocketDockStats();
        stats.connectionOpened(null);
        stats.connectionOpened(null);
        stats.connectionClosed(null, new CloseStatus(1000, ""));
        stats.backendCall(new SocketDockListener.BackendCall("c", SocketDockListener.BackendEvent.MESSAGE, 1, 2,
                SocketDockListener.BackendOutcome.SUCCESS, 200, java.time.Duration.ofMillis(1)));
        stats.backendGaveUp("c", SocketDockListener.BackendEvent.MESSAGE, SocketDockListener.GiveUpReason.NO_ANSWER);
        stats.backendGaveUp("c", SocketDockListener.BackendEvent.DISCONNECT, SocketDockListener.GiveUpReason.UNDELIVERED);
        stats.budgetLevel(42, 100);
        assertThat(stats.activeConnections()).isEqualTo(1);
        assertThat(stats.lifetimeConnections()).isEqualTo(2);
        assertThat(stats.backendRetries()).isEqualTo(1);
        assertThat(stats.abandonedAnswers()).isEqualTo(1);
        assertThat(stats.undeliveredMessages()).isZero();
        assertThat(stats.undeliveredDisconnects()).isEqualTo(1);
        assertThat(stats.bufferedBytes()).isEqualTo(42);
        assertThat(stats.toString()).startsWith("SocketDockStats[active=1, lifetime=2, ");
    }
}
