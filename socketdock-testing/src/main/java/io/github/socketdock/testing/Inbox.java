package io.github.socketdock.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the kit received and the test did not take yet, in arrival order: a test takes the first
 * item that matches what it expects, waiting for it, and the others stay for later takes.
 * Unbounded, as a test's own record of what happened.
 */
final class Inbox<T> {

    /** Longest text of one item in a failure's message. */
    private static final int SHOWN = 200;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<T> items = new ArrayList<>();

    void add(T item) {
        lock.lock();
        try {
            items.add(item);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the takers, for them to ask again whether waiting still makes sense. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param over says why no item can come any more (the socket closed), or null while one can
     * @return the first item {@code wanted} accepts, removed, waiting at most {@code timeout}
     * @throws AssertionError naming {@code what} and what is left, if none came in time or none can come
     */
    T take(Predicate<? super T> wanted, Duration timeout, String what, Supplier<String> over)
            throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (Iterator<T> i = items.iterator(); i.hasNext(); ) {
                    T item = i.next();
                    if (wanted.test(item)) {
                        i.remove();
                        return item;
                    }
                }
                String why = over.get();
                if (why != null) {
                    throw new AssertionError("no " + what + ": " + why + leftOver());
                }
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeout + leftOver());
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** @see #take(Predicate, Duration, String, Supplier) */
    T take(Predicate<? super T> wanted, Duration timeout, String what) throws InterruptedException {
        return take(wanted, timeout, what, () -> null);
    }

    private String leftOver() {
        if (items.isEmpty()) {
            return "; nothing else either";
        }
        List<String> shown = new ArrayList<>();
        for (T item : items) {
            String s = String.valueOf(item);
            shown.add(s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "…");
        }
        return "; not taken: " + shown;
    }

    /** @return what is not taken yet, oldest first */
    List<T> pending() {
        lock.lock();
        try {
            return List.copyOf(items);
        } finally {
            lock.unlock();
        }
    }

    /** @return how many items are not taken yet */
    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }
}
