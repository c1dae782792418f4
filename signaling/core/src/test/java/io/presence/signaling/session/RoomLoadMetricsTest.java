package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code presence.rooms.loaded} and {@code presence.rooms.unloaded}: by kind, present at zero from the start. */
class RoomLoadMetricsTest {

    @Test
    void loadsAndUnloadsAreCountedByKind() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SignalingMetrics metrics = new SignalingMetrics(registry);
        for (String name : new String[] {"presence.rooms.loaded", "presence.rooms.unloaded"}) {
            for (String kind : new String[] {"persistent", "ephemeral"}) {
                assertEquals(0, registry.get(name).tag("kind", kind).counter().count(), name + " " + kind);
            }
        }
        metrics.roomLoaded(true);
        metrics.roomLoaded(false);
        metrics.roomLoaded(false);
        metrics.roomUnloaded(true);
        assertEquals(1, registry.get("presence.rooms.loaded").tag("kind", "persistent").counter().count());
        assertEquals(2, registry.get("presence.rooms.loaded").tag("kind", "ephemeral").counter().count());
        assertEquals(1, registry.get("presence.rooms.unloaded").tag("kind", "persistent").counter().count());
        assertEquals(0, registry.get("presence.rooms.unloaded").tag("kind", "ephemeral").counter().count());
        metrics.close();
        assertTrue(registry.find("presence.rooms.loaded").counters().isEmpty(), "removed on close");
    }
}
