package io.github.socketdock.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide byte budget: frames waiting in outbound queues plus inbound messages not yet
 * delivered. Outbound frames are refused at the bound ({@link #tryReserve}); inbound bytes have
 * already arrived when they are counted ({@link #reserve}), so at the bound a connection parks
 * ({@link #whenBelowLimit}) and is not read again until the budget drains.
 */
final class ByteBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final Queue<Runnable> parked = new ConcurrentLinkedQueue<>();

    ByteBudget(long limit) {
        this.limit = limit;
    }

    /** Counts {@code n} bytes if they fit; @return false, counting nothing, if they do not. */
    boolean tryReserve(long n) {
        long now = used.addAndGet(n);
        if (now > limit && now != n) {
            release(n);
            return false;
        }
        return true;
    }

    /** Counts {@code n} bytes that are already held, even past the bound. */
    void reserve(long n) {
        used.addAndGet(n);
    }

    /** Gives back {@code n} bytes, and resumes parked connections once below the bound. */
    void release(long n) {
        if (used.addAndGet(-n) < limit) {
            Runnable r;
            while (used.get() < limit && (r = parked.poll()) != null) {
                r.run();
            }
        }
    }

    /** @return true while at or past the bound */
    boolean exhausted() {
        return used.get() >= limit;
    }

    /** Runs {@code resume} now if below the bound, else once the budget drains below it. */
    void whenBelowLimit(Runnable resume) {
        if (!exhausted()) {
            resume.run();
            return;
        }
        parked.add(resume);
        if (!exhausted()) {
            Runnable r;
            while ((r = parked.poll()) != null) {
                r.run();
            }
        }
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
