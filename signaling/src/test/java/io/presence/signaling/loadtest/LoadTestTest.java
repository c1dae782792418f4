package io.presence.signaling.loadtest;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.transport.TestServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small, bounded run of the load engine against an in-process server (the real benchmark runs out of process). */
class LoadTestTest {

    @Test
    void smallRunWithMassDropAndResumeLosesAndDuplicatesNothing() {
        try (TestServer ts = new TestServer(TestServer.settings().resumeGrace(Duration.ofSeconds(10)).build())) {
            for (Transport transport : Transport.values()) {
                InetSocketAddress target = transport == Transport.WS ? ts.server.webSocketAddress()
                        : ts.server.tcpAddress();
                LoadTestReport r = new LoadTest().run(LoadTestOptions.of(transport, target, 12, 3, 150,
                        Duration.ofMillis(1500)).withDropAndResume(true), ts.net);
                assertEquals(12, r.sessionsOpened(), r.toText());
                assertTrue(r.sent() > 50, r.toText());
                assertEquals(r.sent() * 4, r.expected(), "every message acknowledged once\n" + r.toText());
                assertEquals(r.expected(), r.delivered(), r.toText());
                assertEquals(0, r.lost(), r.toText());
                assertEquals(0, r.duplicated(), r.toText());
                assertEquals(12, r.resumesAttempted(), r.toText());
                assertEquals(12, r.resumesSucceeded(), r.toText());
                assertTrue(r.resumeSeconds() > 0 && r.resumeSeconds() < 10, r.toText());
                assertTrue(r.p50Micros() > 0 && r.p50Micros() <= r.p99Micros() && r.p99Micros() <= r.maxMicros(),
                        r.toText());
            }
        }
    }

    @Test
    void refusesNonLoopbackTargetsUnlessAllowed() {
        LoadTestOptions remote = LoadTestOptions.of(Transport.TCP, new InetSocketAddress("192.0.2.1", 8082), 1, 1, 1,
                Duration.ofSeconds(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LoadTest().run(remote));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }

    @Test
    void histogramPercentilesAreWithinItsResolution() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 10_000; v++) {
            h.record(v);
        }
        assertEquals(10_000, h.count());
        assertEquals(10_000, h.maxMicros());
        assertTrue(Math.abs(h.percentileMicros(0.5) - 5000) <= 5000 * 0.04, "p50 " + h.percentileMicros(0.5));
        assertTrue(Math.abs(h.percentileMicros(0.99) - 9900) <= 9900 * 0.04, "p99 " + h.percentileMicros(0.99));
        assertEquals(0, new LatencyHistogram().percentileMicros(0.5));
    }
}
