package io.presence.signaling.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The host-platform API's meters: requests by endpoint and status. */
public final class ApiMetrics {
    static final String REQUESTS = "presence.api.requests";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param endpoint one of a fixed set of route names ({@code unknown} for any other path) */
    void answered(String endpoint, int status) {
        counters.computeIfAbsent(endpoint + '|' + status, k -> Counter.builder(REQUESTS)
                .description("Host-platform API requests answered, by endpoint and HTTP status")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status)).register(registry)).increment();
    }
}
