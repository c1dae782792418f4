package io.presence.signaling.avatar;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The avatar endpoint's meters: renders (cache misses) and cache hits. */
public final class AvatarMetrics {
    private final Counter renders;
    private final Counter hits;

    public AvatarMetrics(MeterRegistry registry) {
        renders = Counter.builder("presence.avatar.renders")
                .description("Pixel avatars rendered (requests the cache could not answer)").register(registry);
        hits = Counter.builder("presence.avatar.cache.hits")
                .description("Avatar requests answered from the cache of rendered images").register(registry);
    }

    void rendered() {
        renders.increment();
    }

    void cacheHit() {
        hits.increment();
    }
}
