package io.github.socketdock.harness.fuzz;

import java.util.Random;

/**
 * The storm's seed: from {@code -Dsocketdock.fuzz.seed=N} to replay a storm, else from the clock.
 * Each operation draws from its own {@link Random}, derived from the seed and the operation's
 * number, so an operation's input does not depend on which thread ran it or when.
 */
public record Seed(long value) {

    /** The system property that replays a storm. */
    public static final String PROPERTY = "socketdock.fuzz.seed";

    /** @return the seed named by {@value #PROPERTY}, or a new one */
    public static Seed fromSystemProperty() {
        return new Seed(Long.getLong(PROPERTY, System.nanoTime()));
    }

    /** @return the random source of operation {@code op} */
    public Random random(int op) {
        return new Random(value ^ (op * 0x9E3779B97F4A7C15L));
    }

    /** @return "fuzz seed N (replay: -Dsocketdock.fuzz.seed=N)", to name in every failure */
    public String replay() {
        return "fuzz seed " + value + " (replay: -D" + PROPERTY + "=" + value + ")";
    }

    @Override
    public String toString() {
        return "fuzz seed " + value;
    }
}
