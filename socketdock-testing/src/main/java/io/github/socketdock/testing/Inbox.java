package io.github.socketdock.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * What the kit received and the test did not take yet, in arrival order: a test takes the first
 * item that matches what it expects, waiting for it, and the others stay for later takes.
 * Unbounded, as a test's own record of what happened.
 */
final class Inbox<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<T> items = new ArrayList<>();

    void add(T item) {
        lock.lock();
        try {
            items.add(item);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the first item {@code wanted} accepts, removed, waiting at most {@code timeout}
     * @throws AssertionError naming {@code what} and what is left if none came in time
     */
    T take(Predicate<? super T> wanted, Duration timeout, String what) throws InterruptedException {
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
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeout
                            + (items.isEmpty() ? "; nothing else either" : "; not taken: " + items));
                }
                left = arrived.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
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
