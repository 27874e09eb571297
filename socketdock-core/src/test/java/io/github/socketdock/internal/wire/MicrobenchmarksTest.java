package io.github.socketdock.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH microbenchmarks in these test sources compile into a harness and run: each benchmark
 * once, in this JVM, for a few milliseconds. Their figures come from {@code socketdock-bench/jmh.sh}.
 */
class MicrobenchmarksTest {

    @Test
    void everyBenchmarkRunsAndReportsAScore() throws Exception {
        Options quick = new OptionsBuilder()
                .include("io\\.github\\.socketdock\\.internal\\..*Bench")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .timeUnit(TimeUnit.NANOSECONDS)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(quick).run();
        assertThat(results).extracting(r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""))
                .contains("textMessageEnvelope", "binaryMessageEnvelope", "connectEnvelope", "signature");
        assertThat(results).hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }
}
