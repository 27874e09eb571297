package io.github.socketdock.harness;

import io.github.socketdock.internal.common.Ticker;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Ticker} whose time moves only by {@link #advance}: the tasks that fall due run on the
 * advancing thread, in the order of their due times, each seeing the time it was due at. A rule of
 * seconds (the ping timeout, the ordering window) is then tested by advancing, not by waiting.
 */
public final class ManualTicker implements Ticker {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long sequence;

    private final class Task implements Comparable<Task>, Timer {
        final long due;
        final long order;
        final Runnable run;
        boolean cancelled;

        Task(long due, long order, Runnable run) {
            this.due = due;
            this.order = order;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            synchronized (ManualTicker.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    @Override
    public synchronized long nanos() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Runnable task, Duration delay) {
        Task t = new Task(now + Math.max(0, delay.toNanos()), sequence++, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward by {@code d}, running every task that falls due on the way. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.due);
            }
            next.run.run();
        }
    }

    /**
     * Moves time forward by {@code d} if a task falls due within it, for a test that lets time
     * pass only as the relay's timers need it (a timer may be scheduled a moment after what the
     * test waits for, such as a request's ordering window once its body is written).
     *
     * @return whether time moved
     */
    public boolean advanceIfDueWithin(Duration d) {
        synchronized (this) {
            Task next = tasks.peek();
            if (next == null || next.due > now + d.toNanos()) {
                return false;
            }
        }
        advance(d);
        return true;
    }

    /**
     * @return how many tasks fall due exactly {@code in} from now: a test that counts them before
     *     and after can wait for a timer the relay starts a moment after what the test sees (a
     *     request's ordering window starts once it is written whole, which may be just after the
     *     backend read it)
     */
    public synchronized long dueIn(Duration in) {
        long due = now + in.toNanos();
        return tasks.stream().filter(t -> t.due == due).count();
    }

    /** @return how many tasks wait to fall due */
    public synchronized int pending() {
        return tasks.size();
    }
}
