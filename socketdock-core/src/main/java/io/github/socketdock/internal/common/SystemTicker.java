package io.github.socketdock.internal.common;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/** {@link Ticker} on {@link System#nanoTime()} and one daemon scheduler thread, started and stopped with its relay. */
final class SystemTicker implements Ticker {

    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("socketdock-timer", true);

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(Runnable task, Duration delay) {
        if (!scheduler.isRunning()) {
            return () -> { };
        }
        try {
            Scheduler.Task t = scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return t::cancel;
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            return () -> { };
        }
    }

    @Override
    public void start() {
        try {
            scheduler.start();
        } catch (Exception e) {
            throw new IllegalStateException("timer thread did not start", e);
        }
    }

    @Override
    public void stop() {
        try {
            scheduler.stop();
        } catch (Exception e) {
            // a stopping scheduler has nothing left to give back
        }
    }
}
