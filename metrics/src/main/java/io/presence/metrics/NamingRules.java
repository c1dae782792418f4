package io.presence.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.Map;

/**
 * Brings the third-party binders' meters under the project's naming rules (metrics/README.md): units in
 * names, no abbreviated units, no {@code _count} suffix on plain gauges, and a description on every meter.
 * Our own meters are written to the rules and pass through unchanged.
 */
final class NamingRules implements MeterFilter {

    /** Name → {description, base unit or null}. Netty's binder registers its meters without either. */
    private static final Map<String, String[]> THIRD_PARTY = Map.of(
            "netty.allocator.memory.used", new String[]{"Memory held by the Netty buffer allocator", "bytes"},
            "netty.allocator.memory.pinned", new String[]{"Memory of the Netty allocator pinned by live buffers",
                    "bytes"},
            "netty.allocator.pooled.arenas", new String[]{"Arenas of the pooled Netty allocator", null},
            "netty.allocator.pooled.cache.size", new String[]{"Entries per thread-local cache of the pooled "
                    + "Netty allocator", null},
            "netty.allocator.pooled.chunk.size", new String[]{"Chunk size of the pooled Netty allocator", "bytes"},
            "netty.allocator.pooled.threadlocal.caches", new String[]{"Thread-local caches of the pooled Netty "
                    + "allocator", null});

    /** The JVM binders' names that break the Prometheus conventions promtool checks. */
    private static final Map<String, String> RENAMED = Map.of("system.cpu.count", "system.cpu.cores");

    /** Replaced by {@link MetricsRegistry}'s own process CPU counter in seconds. */
    static final String PROCESS_CPU_NANOS = "process.cpu.time";

    @Override
    public io.micrometer.core.instrument.config.MeterFilterReply accept(Meter.Id id) {
        return PROCESS_CPU_NANOS.equals(id.getName())
                ? io.micrometer.core.instrument.config.MeterFilterReply.DENY
                : io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String renamed = RENAMED.get(id.getName());
        if (renamed != null) {
            return id.withName(renamed);
        }
        String[] known = THIRD_PARTY.get(id.getName());
        if (known != null && id.getDescription() == null) {
            return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
                    known[1] != null ? known[1] : id.getBaseUnit(), known[0], id.getType());
        }
        return id;
    }
}
