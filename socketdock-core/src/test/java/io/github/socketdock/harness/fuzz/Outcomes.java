package io.github.socketdock.harness.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of what the storm's operations met ("POST send STORM 410", "WEBSOCKET server close 1002"), for the log. */
public final class Outcomes {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one {@code outcome}. */
    public void count(String outcome) {
        counts.computeIfAbsent(outcome, x -> new LongAdder()).increment();
    }

    /** @return the counts, sorted by outcome */
    @Override
    public String toString() {
        return new TreeMap<>(counts).toString();
    }
}
