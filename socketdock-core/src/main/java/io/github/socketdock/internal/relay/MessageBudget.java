package io.github.socketdock.internal.relay;

import java.util.function.Consumer;

/**
 * What the message a connection is putting together holds of the {@link ByteBudget}, owned by its
 * {@link RelayConnection} and used under its lock. Its first {@link ByteBudget#ALLOWANCE} bytes
 * are counted as they arrive; a message that goes past that asks for a grant of the largest
 * message, and is read on only once it has it, so no set of unfinished messages can hold the
 * budget that another needs to finish. Finished, the message keeps counted what it really takes;
 * dropped, it gives everything back.
 */
final class MessageBudget {

    /** What the owner does after a fragment was counted. */
    enum Next {
        /** Read the next fragment, as the budget allows. */
        READ,
        /** Read on at once: the grant this message holds covers it, whatever else the budget holds. */
        READ_GRANTED,
        /** Wait: a grant was asked for, and reading goes on when it is given. */
        WAIT
    }

    private final ByteBudget budget;
    private final long grantSize;
    /** Bytes counted as the message's allowance. */
    private long allowance;
    /** The grant held, or 0. */
    private long grant;
    /** A grant asked for and not yet taken, or null. */
    private ByteBudget.Ticket asked;

    MessageBudget(ByteBudget budget, long maxMessageSize) {
        this.budget = budget;
        this.grantSize = maxMessageSize;
    }

    /**
     * Counts a fragment of {@code n} bytes, after which the message takes {@code total}.
     *
     * @param given hears a grant asked for now being given later, on the thread that gives it;
     *              pass the ticket to {@link #given}
     */
    Next added(long n, long total, boolean last, Consumer<ByteBudget.Ticket> given) {
        if (grant > 0) {
            return Next.READ_GRANTED;
        }
        budget.reserveUnfinished(n);
        allowance += n;
        if (last || total <= ByteBudget.ALLOWANCE) {
            return Next.READ;
        }
        // given at once, the callback runs before asked is set and is ignored ({@link #given}); here it is taken
        ByteBudget.Ticket t = budget.askGrant(grantSize, allowance, given);
        if (t.given()) {
            take(t);
            return Next.READ_GRANTED;
        }
        asked = t;
        return Next.WAIT;
    }

    /** @return true if {@code t} is the grant this message waits for, now taken: read on */
    boolean given(ByteBudget.Ticket t) {
        if (asked != t || !t.given()) {
            return false;
        }
        asked = null;
        take(t);
        return true;
    }

    private void take(ByteBudget.Ticket t) {
        grant = t.size();
        allowance = 0;
    }

    /** @return whether the message holds a grant, which lets it be read whatever the budget holds */
    boolean granted() {
        return grant > 0;
    }

    /**
     * The message is complete and takes {@code size} bytes: they stay counted until the backend
     * took it, and are then given back with {@link #release}.
     *
     * @return whether they are counted as a grant (the message went past its allowance)
     */
    boolean finished(long size) {
        boolean granted = grant > 0;
        if (granted) {
            budget.endGrant(grant, size);
        } else {
            budget.finishUnfinished(allowance);
        }
        grant = 0;
        allowance = 0;
        return granted;
    }

    /** Gives back a finished message's {@code size} bytes, as {@link #finished} counted them. */
    static void release(ByteBudget budget, long size, boolean granted) {
        if (granted) {
            budget.endGrant(size, 0);
        } else {
            budget.release(size);
        }
    }

    /** The message is dropped unfinished: everything it holds or asked for is given back. */
    void dropped() {
        if (asked != null) {
            if (asked.cancel()) {
                budget.releaseUnfinished(allowance);
            } else {
                budget.endGrant(asked.size(), 0);
            }
            asked = null;
        } else if (grant > 0) {
            budget.endGrant(grant, 0);
        } else if (allowance > 0) {
            budget.releaseUnfinished(allowance);
        }
        grant = 0;
        allowance = 0;
    }
}
