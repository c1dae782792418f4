package io.presence.signaling.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.transport.TestServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                        Duration.ofMillis(1500)).withDropAndResume(true), ts.clientRuntime);
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
    void errorsAreCountedByCodeAndProgressIsReported() {
        // Four requests per second per session: most of the offered chat is refused by the rate limit.
        try (TestServer ts = new TestServer(TestServer.settings().messageRate(4, 4)
                .rateLimitCloseAfter(Duration.ofMinutes(1)).build())) {
            List<LoadTestProgress.Snapshot> seen = new CopyOnWriteArrayList<>();
            LoadTestReport r = new LoadTest().run(LoadTestOptions.of(Transport.TCP, ts.server.tcpAddress(), 4, 1, 200,
                    Duration.ofMillis(1500)), ts.clientRuntime, seen::add);
            long limited = r.errorsByCode().getOrDefault("limit_exceeded:message_rate", 0L);
            assertTrue(limited > 50, r.toText());
            assertEquals(r.errors(), r.errorsByCode().values().stream().mapToLong(Long::longValue).sum(), r.toText());
            assertTrue(r.toText().contains("errors               " + r.errors() + ": limit_exceeded:message_rate " + limited),
                    r.toText());

            List<LoadTestProgress.Phase> phases = seen.stream().map(LoadTestProgress.Snapshot::phase).distinct()
                    .toList();
            assertEquals(List.of(LoadTestProgress.Phase.CONNECTING, LoadTestProgress.Phase.JOINING,
                    LoadTestProgress.Phase.SENDING), phases.subList(0, 3), phases.toString());
            assertEquals(LoadTestProgress.Phase.DONE, seen.get(seen.size() - 1).phase());
            assertEquals(4, seen.get(seen.size() - 1).sessions());
            assertEquals(r.sent(), seen.get(seen.size() - 1).sent());
        }
    }

    @Test
    void aServerWithoutTheDevelopmentProviderFailsTheRunWithOneLineNamingTheSetting() {
        try (TestServer ts = new TestServer(TestServer.settings().devAuthEnabled(false).build())) {
            LoadTestFailure e = assertThrows(LoadTestFailure.class, () -> new LoadTest().run(
                    LoadTestOptions.of(Transport.TCP, ts.server.tcpAddress(), 3, 1, 10, Duration.ofMillis(500)),
                    ts.clientRuntime));
            assertTrue(e.getMessage().startsWith("authentication failed at "), e.getMessage());
            assertTrue(e.getMessage().contains("signaling.devAuth: true"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theJsonReportHasEveryCountAndTheErrorsByCode() throws Exception {
        LoadTestReport r = new LoadTestReport(3, 1, 10, 20, 60, 58, 2, 0, 4,
                java.util.Map.of("auth_failed", 1L, "limit_exceeded:message_rate", 3L), 100, 200, 300, 400, 0, 0, 0, 2.5, 0, 0);
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals(3, json.path("sessionsOpened").asInt());
        assertEquals(58, json.path("delivered").asLong());
        assertEquals(3, json.path("errorsByCode").path("limit_exceeded:message_rate").asLong());
        assertEquals(1, json.path("errorsByCode").path("auth_failed").asLong());
        assertTrue(r.toText().contains("errors               4: limit_exceeded:message_rate 3, auth_failed 1"), r.toText());
    }

    @Test
    void progressIsABarOnATerminalAndPeriodicLinesElsewhere() {
        long[] now = {0};
        java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        ProgressPrinter printer = new ProgressPrinter(new java.io.PrintStream(lines, true), false,
                Duration.ofSeconds(5), () -> now[0]);
        for (int t = 0; t <= 20; t++) { // 20 s of sending, one update a second
            now[0] = t * 1_000_000_000L;
            printer.update(new LoadTestProgress.Snapshot(LoadTestProgress.Phase.SENDING, t / 20.0, 10, 10, t * 100L,
                    t * 1000L, 0));
        }
        now[0] += 1;
        printer.update(new LoadTestProgress.Snapshot(LoadTestProgress.Phase.DONE, 1, 10, 10, 2000, 20000, 0));
        String[] printed = lines.toString().split("\n");
        assertEquals(6, printed.length, lines.toString()); // at 0, 5, 10, 15, 20 s and done
        assertTrue(printed[2].startsWith("loadtest:  10.0 s sending     50% | sessions 10/10 | sent 1000"), printed[2]);
        assertFalse(lines.toString().contains("\r"));

        java.io.ByteArrayOutputStream bar = new java.io.ByteArrayOutputStream();
        printer = new ProgressPrinter(new java.io.PrintStream(bar, true), true, Duration.ofSeconds(5), () -> now[0]);
        printer.update(new LoadTestProgress.Snapshot(LoadTestProgress.Phase.SENDING, 0.5, 10, 10, 1, 1, 0));
        printer.update(new LoadTestProgress.Snapshot(LoadTestProgress.Phase.DONE, 1, 10, 10, 1, 1, 0));
        assertTrue(bar.toString().startsWith("\r[###############...............]"), bar.toString());
        assertTrue(bar.toString().endsWith("\n") && bar.toString().indexOf('\n') == bar.toString().length() - 1);
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
