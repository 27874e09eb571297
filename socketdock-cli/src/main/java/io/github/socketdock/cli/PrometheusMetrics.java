package io.github.socketdock.cli;

import io.github.socketdock.SocketDock;
import io.github.socketdock.micrometer.SocketDockMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Set;

/**
 * The command line's metrics: a Prometheus registry with the relay's meters (recorded by
 * {@link SocketDockMeters}, from the {@code socketdock-micrometer} module) and the few JVM and process meters that an operator of a relay reads, served at {@code GET /metrics}.
 *
 * <p>The JVM meters kept, and why (each in the README's metrics table):
 * <ul>
 *   <li>{@code jvm_memory_used_bytes}, {@code jvm_memory_max_bytes} by area and pool: heap and
 *       non-heap against their limits</li>
 *   <li>{@code jvm_buffer_memory_used_bytes{id="direct"}}: Jetty's I/O buffers, outside the heap</li>
 *   <li>{@code jvm_gc_pause_seconds} by {@code gc} and {@code action} (the {@code cause} tag is
 *       dropped: it is for tuning the collector, and makes a series per cause): pauses stall every
 *       socket at once</li>
 *   <li>{@code jvm_threads_live_threads}, {@code jvm_threads_peak_threads}</li>
 *   <li>{@code process_cpu_seconds_total}: CPU time in seconds, for {@code rate()} (the
 *       Prometheus clients' name; it replaces Micrometer's {@code process_cpu_time_ns_total}, not
 *       in a base unit, and the unit-less 0-1 gauges {@code process_cpu_usage} and
 *       {@code system_cpu_usage})</li>
 *   <li>{@code process_uptime_seconds}, {@code process_start_time_seconds}: restarts</li>
 *   <li>{@code process_files_open_files}, {@code process_files_max_files}: every WebSocket is a
 *       file descriptor, and the limit is the relay's first ceiling</li>
 * </ul>
 * Every other meter a binder makes is denied by a filter: committed memory, class loading, thread
 * states, GC allocation and data sizes, mapped buffers. The relay's own meters
 * ({@code socketdock.*}) all pass.
 */
final class PrometheusMetrics implements AutoCloseable {

    /** The Prometheus text exposition format that {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The Micrometer names of the JVM and process meters that are served. */
    static final Set<String> JVM_METERS = Set.of("jvm.memory.used", "jvm.memory.max",
            "jvm.buffer.memory.used", "jvm.gc.pause", "jvm.threads.live", "jvm.threads.peak", "process.cpu",
            "process.uptime", "process.start.time", "process.files.open", "process.files.max");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final SocketDockMeters relay;

    PrometheusMetrics() {
        registry.config().meterFilter(MeterFilter.denyUnless(PrometheusMetrics::served))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("jvm.gc.pause") ? id.replaceTags(Tags.of(id.getTags().stream()
                                .filter(t -> !t.getKey().equals("cause")).toList())) : id;
                    }
                });
        relay = new SocketDockMeters(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean process) {
            FunctionCounter.builder("process.cpu", process, PrometheusMetrics::cpuSeconds)
                    .description("CPU time used by the process").baseUnit("seconds").register(registry);
        }
    }

    private static double cpuSeconds(com.sun.management.OperatingSystemMXBean process) {
        long nanos = process.getProcessCpuTime();
        return nanos < 0 ? Double.NaN : nanos / 1e9;
    }

    /** @return whether the meter is served: the relay's own, and the JVM meters listed above */
    static boolean served(Meter.Id id) {
        String name = id.getName();
        if (name.equals("jvm.buffer.memory.used")) {
            return "direct".equals(id.getTag("id"));
        }
        return name.startsWith("socketdock.") || JVM_METERS.contains(name);
    }

    /** Records the relay's meters here and serves them at {@code /metrics}. */
    SocketDock.Builder applyTo(SocketDock.Builder builder) {
        return builder.listener(relay).metricsPage(CONTENT_TYPE, registry::scrape);
    }

    @Override
    public void close() {
        relay.close();
        gc.close();
        registry.close();
    }
}
