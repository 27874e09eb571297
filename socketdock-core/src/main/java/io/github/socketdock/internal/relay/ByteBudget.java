package io.github.socketdock.internal.relay;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The process-wide byte budget: frames waiting in outbound queues, bodies of backend calls, and
 * inbound messages, finished or not, until the backend has taken them. Built so that nothing can
 * hold it that cannot finish on its own: whatever holds it is released by the relay or the
 * backend within a set time, or belongs to a message its client is still sending, which may hold
 * only what it was granted and is closed when it takes too long (the owner's rule).
 *
 * <ul>
 *   <li><b>Counted</b> ({@link #reserve}, {@link #tryReserve}): what is already in memory, or is
 *       refused when it does not fit (an outbound frame, a {@code /send} body). At the bound a
 *       connection parks ({@link #whenBelowLimit}) and is not read until the budget drains.</li>
 *   <li><b>Unfinished</b> ({@link #reserveUnfinished}): the first {@link #ALLOWANCE} bytes of a
 *       message still being sent: counted, but never the reason another connection parks or a
 *       frame is refused, so clients that leave messages unfinished jam nothing. One
 *       connection holds at most one such message, so this part is bounded per connection (as
 *       Jetty's own buffer of a frame being read is).</li>
 *   <li><b>Granted</b> ({@link #askGrant}): a message that goes past its allowance waits, unread,
 *       for a grant of the largest message before it is read on. Grants are given in the order
 *       asked, while they take together at most three quarters of the limit and
 *       the budget has room; and to the first in line when none is held and the budget has room for
 *       the share, so a message as large as the whole budget still goes, alone, without pushing
 *       what else the budget holds past the limit. Complete, a message keeps as its grant what
 *       it really takes, until the backend took it; dropped, it gives it all back. The body of a
 *       large message's backend call counts in the same share ({@link #reserveLarge}), so large
 *       messages whose answers a backend holds slow other large messages, never small ones.</li>
 * </ul>
 */
public final class ByteBudget {

    /** Bytes of a message a connection may hold before it must be granted room for the whole of it. */
    static final long ALLOWANCE = 64 * 1024;

    private final long limit;
    private final long grantShare;
    private final AtomicLong used = new AtomicLong();
    /** The part of {@link #used} held by unfinished messages within their allowance. */
    private final AtomicLong unfinished = new AtomicLong();
    private final Queue<Runnable> parked = new ConcurrentLinkedQueue<>();
    /** The grants held; written under {@code this}, read without it. */
    private volatile long granted;
    /** The grants asked for and not yet given, in order; guarded by {@code this}. */
    private final Queue<Ticket> waiting = new ArrayDeque<>();
    /** Whether any grant waits: releases look at this before taking the lock. */
    private volatile boolean anyWaiting;

    /** Runs parked connections' resumptions and grants' listeners: never on a releaser's thread, which may hold a connection's lock. */
    private final Executor resume;

    /** A budget whose resumptions run on the releasing thread: for a budget no connection parks on. */
    ByteBudget(long limit) {
        this(limit, Runnable::run);
    }

    /** @param resume runs parked connections' resumptions and grants' listeners (the server's pool) */
    ByteBudget(long limit, Executor resume) {
        this.limit = limit;
        this.grantShare = Math.max(1, limit - limit / 4);
        this.resume = resume;
    }

    /** A grant asked for: given once (its callback runs then), or taken back first. */
    final class Ticket {
        private final long size;
        private final long converted;
        private final Consumer<Ticket> listener;
        /** 0 waiting, 1 given, 2 taken back; guarded by the budget. */
        private int state;

        private Ticket(long size, long converted, Consumer<Ticket> given) {
            this.size = size;
            this.converted = converted;
            this.listener = given;
        }

        /** @return the bytes granted */
        long size() {
            return size;
        }

        /** @return whether it was given */
        boolean given() {
            synchronized (ByteBudget.this) {
                return state == 1;
            }
        }

        /**
         * Takes the request back if it is still waiting.
         *
         * @return false if it had already been given: the holder then owns the grant (end it)
         */
        boolean cancel() {
            synchronized (ByteBudget.this) {
                if (state != 0) {
                    return false;
                }
                state = 2;
                waiting.remove(this);
                anyWaiting = !waiting.isEmpty();
            }
            // its allowance bytes were never converted: the asker gives them back itself
            pump();
            return true;
        }
    }

    /** Counts {@code n} bytes if they fit; @return false, counting nothing, if they do not. */
    boolean tryReserve(long n) {
        long c = counted(used.addAndGet(n));
        if (c > limit && c != n) {
            release(n);
            return false;
        }
        return true;
    }

    /** Counts {@code n} bytes that are already held, even past the bound. */
    public void reserve(long n) {
        used.addAndGet(n);
    }

    /** Counts {@code n} bytes of an unfinished message within its {@link #ALLOWANCE}. */
    void reserveUnfinished(long n) {
        unfinished.addAndGet(n);
        used.addAndGet(n);
    }

    /** An unfinished message's allowance bytes: its message is complete, and they count as any other. */
    void finishUnfinished(long n) {
        unfinished.addAndGet(-n);
    }

    /** An unfinished message's allowance bytes: dropped. */
    void releaseUnfinished(long n) {
        unfinished.addAndGet(-n);
        release(n);
    }

    /**
     * Asks for a grant of {@code size} bytes for an unfinished message that holds {@code allowance}
     * bytes as {@link #reserveUnfinished unfinished}; when given, those become part of the grant.
     *
     * @param given hears the grant given, on the thread that gives it (this one, if at once)
     * @return the ticket; already given when {@code given} heard it before this returns
     */
    Ticket askGrant(long size, long allowance, Consumer<Ticket> given) {
        Ticket t = new Ticket(size, allowance, given);
        synchronized (this) {
            waiting.add(t);
            anyWaiting = true;
        }
        pump();
        return t;
    }

    /**
     * Ends a grant, or the part of it given back: a message complete and taking only {@code keep}
     * of its {@code size} bytes keeps those as its grant until the backend took it; a dropped
     * message, or one the backend took, keeps nothing.
     */
    public void endGrant(long size, long keep) {
        synchronized (this) {
            granted -= size - keep;
        }
        release(size - keep);
    }

    /**
     * Counts {@code n} bytes held for a large message (the body of its backend call) in the
     * grants' share, at once, even past it: they are already held. New grants wait while the share
     * is taken; readers of small messages do not. Given back with {@link #endGrant endGrant(n, 0)}.
     */
    public void reserveLarge(long n) {
        synchronized (this) {
            granted += n;
        }
        used.addAndGet(n);
    }

    /** Gives back {@code n} bytes, and resumes parked connections and grants that now fit. */
    public void release(long n) {
        if (counted(used.addAndGet(-n)) < limit) {
            Runnable r;
            while (counted(used.get()) < limit && (r = parked.poll()) != null) {
                resume(r);
            }
        }
        pump();
    }

    /** Gives grants in order while the first in line fits. */
    private void pump() {
        while (anyWaiting) {
            Ticket t;
            synchronized (this) {
                t = waiting.peek();
                if (t == null) {
                    anyWaiting = false;
                    return;
                }
                // within the share and the limit; or, when no grant is held, a grant as large as the
                // share or larger, whose part past the share parks nobody: either way the readers
                // of small messages and the outbound frames keep what the limit leaves them
                long counted = counted(used.get());
                boolean fits = granted + t.size <= grantShare && counted + t.size <= limit;
                boolean alone = granted == 0 && counted + Math.min(t.size, grantShare) <= limit;
                if (!fits && !alone) {
                    return;
                }
                waiting.poll();
                anyWaiting = !waiting.isEmpty();
                t.state = 1;
                granted += t.size;
                unfinished.addAndGet(-t.converted);
                used.addAndGet(t.size - t.converted);
            }
            resume(() -> t.listener.accept(t));
        }
    }

    /**
     * @return what counts towards the bound: all but unfinished messages' allowances, and but
     *     what a lone grant larger than the grants' share takes past it
     */
    private long counted(long usedNow) {
        return usedNow - unfinished.get() - Math.max(0, granted - grantShare);
    }

    /**
     * Hands a resumption to the executor. One it refuses (the server is stopping) is dropped: its
     * connection is being closed, and a grant it was given ends with it ({@link MessageBudget#dropped}).
     */
    private void resume(Runnable r) {
        try {
            resume.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the pool is stopped: nothing waits to be resumed any more
        }
    }

    /** @return true while at or past the bound */
    boolean exhausted() {
        return counted(used.get()) >= limit;
    }

    /** Runs {@code then} now if below the bound, else once the budget drains below it. */
    void whenBelowLimit(Runnable then) {
        if (!exhausted()) {
            then.run();
            return;
        }
        parked.add(then);
        if (!exhausted()) {
            Runnable r;
            while ((r = parked.poll()) != null) {
                resume(r);
            }
        }
    }

    /** @return every byte held, unfinished messages and grants included */
    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }

    /** @return the bytes granted to unfinished messages now (for tests and metrics) */
    long granted() {
        return granted;
    }
}
