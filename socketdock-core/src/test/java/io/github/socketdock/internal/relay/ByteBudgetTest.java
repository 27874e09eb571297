package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The budget's rules: what parks a connection, and who is granted room for a large message. */
class ByteBudgetTest {

    private static final long MIB = 1 << 20;
    private final List<String> given = new ArrayList<>();

    private ByteBudget.Ticket ask(ByteBudget b, String who, long size, long allowance) {
        b.reserveUnfinished(allowance);
        return b.askGrant(size, allowance, t -> given.add(who));
    }

    @Test
    void unfinishedMessagesWithinTheirAllowanceAreCountedButParkNobody() {
        ByteBudget b = new ByteBudget(MIB);
        for (int i = 0; i < 32; i++) {
            b.reserveUnfinished(ByteBudget.ALLOWANCE);
        }
        assertThat(b.used()).isEqualTo(32 * ByteBudget.ALLOWANCE);
        assertThat(b.exhausted()).isFalse();
        assertThat(b.tryReserve(MIB - 1)).as("a frame still fits").isTrue();
        b.finishUnfinished(ByteBudget.ALLOWANCE);
        assertThat(b.exhausted()).as("a finished message counts as any other").isTrue();
    }

    @Test
    void grantsAreGivenInOrderWithinTheirShareAndLeaveTheRestForEverythingElse() {
        ByteBudget b = new ByteBudget(8 * MIB);
        ByteBudget.Ticket a = ask(b, "a", 3 * MIB, ByteBudget.ALLOWANCE);
        ByteBudget.Ticket c = ask(b, "c", 3 * MIB, ByteBudget.ALLOWANCE);
        ByteBudget.Ticket d = ask(b, "d", MIB, ByteBudget.ALLOWANCE);
        assertThat(given).as("6 MiB is the share of an 8 MiB budget: the third waits, and the small one behind it")
                .containsExactly("a", "c");
        assertThat(a.given()).isTrue();
        assertThat(d.given()).isFalse();
        assertThat(b.granted()).isEqualTo(6 * MIB);
        assertThat(b.tryReserve(MIB)).as("the rest of the budget serves others").isTrue();
        assertThat(b.exhausted()).isFalse();

        b.endGrant(3 * MIB, 100_000);
        assertThat(given).as("a finished, keeping what it takes: the next in line").containsExactly("a", "c", "d");
        assertThat(b.granted()).isEqualTo(100_000 + 3 * MIB + MIB);
        assertThat(b.used()).isEqualTo(100_000 + 3 * MIB + MIB + MIB);
        b.endGrant(100_000, 0);
        assertThat(b.granted()).as("the backend took it").isEqualTo(4 * MIB);
        assertThat(c.cancel()).as("given already").isFalse();
    }

    @Test
    void aGrantLargerThanTheShareGoesAloneWhenNoneIsHeldAndParksNoSmallReader() {
        ByteBudget b = new ByteBudget(8 * MIB);
        ask(b, "big", 32 * MIB, ByteBudget.ALLOWANCE);
        assertThat(given).containsExactly("big");
        assertThat(b.exhausted()).as("only its share counts against the others").isFalse();
        assertThat(b.tryReserve(MIB)).isTrue();
        ask(b, "next", MIB, ByteBudget.ALLOWANCE);
        assertThat(given).as("nothing else is granted beside it").containsExactly("big");
        b.endGrant(32 * MIB, 0);
        assertThat(given).containsExactly("big", "next");
    }

    @Test
    void aLoneGrantWaitsUntilItFitsAndNeverPushesSmallReadersPastTheLimit() {
        // (found in review: a lone grant given regardless parked every reader and refused every
        // frame for as long as its client dribbled, and again for the next in line)
        ByteBudget b = new ByteBudget(8 * MIB);
        assertThat(b.tryReserve(5 * MIB)).isTrue(); // outbound frames, finished small messages
        ask(b, "a", 4 * MIB, ByteBudget.ALLOWANCE);
        ask(b, "b", 4 * MIB, ByteBudget.ALLOWANCE);
        assertThat(given).as("5 + 4 MiB would pass the 8 MiB limit").isEmpty();
        assertThat(b.exhausted()).isFalse();
        assertThat(b.tryReserve(1024)).as("frames still go").isTrue();
        b.release(2 * MIB + 1024);
        assertThat(given).as("in order, once it fits").containsExactly("a");
        assertThat(b.exhausted()).isFalse();
        b.endGrant(4 * MIB, 0);
        assertThat(given).containsExactly("a", "b");
        assertThat(b.exhausted()).isFalse();
    }

    @Test
    void aTicketTakenBackLeavesItsPlaceToTheNext() {
        ByteBudget b = new ByteBudget(8 * MIB);
        ask(b, "a", 6 * MIB, 0);
        ByteBudget.Ticket waiting = ask(b, "b", 6 * MIB, ByteBudget.ALLOWANCE);
        ask(b, "c", MIB, 0);
        assertThat(given).containsExactly("a");
        assertThat(waiting.cancel()).isTrue();
        b.releaseUnfinished(ByteBudget.ALLOWANCE);
        b.endGrant(6 * MIB, 0);
        assertThat(given).containsExactly("a", "c");
        b.endGrant(MIB, 0);
        assertThat(b.used()).isZero();
        assertThat(b.granted()).isZero();
    }

    @Test
    void largeBodiesHeldForTheBackendTakeTheGrantsShareAndParkNoSmallReader() {
        ByteBudget b = new ByteBudget(8 * MIB);
        for (int i = 0; i < 5; i++) {
            b.reserveLarge(3 * MIB / 2);
        }
        assertThat(b.granted()).isEqualTo(15 * MIB / 2);
        ask(b, "large", MIB, ByteBudget.ALLOWANCE);
        assertThat(given).as("a new large message waits for the backend").isEmpty();
        assertThat(b.exhausted()).as("a small one is read").isFalse();
        assertThat(b.tryReserve(MIB)).isTrue();
        for (int i = 0; i < 5; i++) {
            b.endGrant(3 * MIB / 2, 0);
        }
        assertThat(given).containsExactly("large");
    }

    @Test
    void aParkedReaderResumesOnceTheBudgetDrains() {
        ByteBudget b = new ByteBudget(MIB);
        b.reserve(MIB);
        List<String> resumed = new ArrayList<>();
        b.whenBelowLimit(() -> resumed.add("r"));
        assertThat(resumed).isEmpty();
        b.release(1);
        assertThat(resumed).containsExactly("r");
    }
}
