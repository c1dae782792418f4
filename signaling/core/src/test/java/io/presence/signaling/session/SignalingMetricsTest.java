package io.presence.signaling.session;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingMetricsTest {
    @Test
    void prometheusNamesCarryPrefixUnitsAndDescriptions() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SignalingMetrics m = new SignalingMetrics(registry);
        m.connectionOpened("ws");
        m.connectionClosed("ws", "slow_consumer");
        m.slowConsumerClosed("ws");
        m.sessionStarted();
        m.sessionEnded("bye");
        m.resume(true);
        m.handshakeFailed("auth_failed");
        m.messageIn("chat.send");
        m.messageOut("event");
        m.error("unknown_room");
        m.delivered(System.nanoTime());
        m.roomOpened();
        m.memberAdded();
        m.chatAccepted(false);
        String text = registry.scrape();
        for (String name : new String[]{
                "presence_connections_opened_total{transport=\"ws\"}",
                "presence_connections_closed_total{reason=\"slow_consumer\",transport=\"ws\"}",
                "presence_connections_active{transport=\"ws\"}",
                "presence_outbound_queue_closes_total",
                "presence_sessions_active",
                "presence_sessions_started_total",
                "presence_sessions_ended_total{reason=\"bye\"}",
                "presence_resumes_total{result=\"succeeded\"}",
                "presence_handshake_failures_total{reason=\"auth_failed\"}",
                "presence_messages_in_total{type=\"chat.send\"}",
                "presence_messages_out_total{type=\"event\"}",
                "presence_errors_total{code=\"unknown_room\"}",
                "presence_delivery_latency_seconds_bucket",
                "presence_rooms_active{kind=\"ephemeral\"}",
                "presence_room_members",
                "presence_chat_messages_total{result=\"stored\"}"}) {
            assertTrue(text.contains(name), name + " in\n" + text);
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP presence_")) {
                assertFalse(line.trim().endsWith("presence_"), line);
                assertTrue(line.split(" ", 4).length == 4, "described: " + line);
            }
        }
        m.close();
        assertFalse(registry.scrape().contains("presence_"), "meters removed on close");
    }

    /** Dashboards rate these by reason: every known reason is a series at zero before its first event. */
    @Test
    void closeAndEndReasonsExistAtZeroFromStart() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new SignalingMetrics(registry);
        String text = registry.scrape();
        for (String transport : java.util.List.of("ws", "tcp")) {
            for (String reason : SignalingMetrics.CONNECTION_CLOSE_REASONS) {
                assertTrue(text.contains("presence_connections_closed_total{reason=\"" + reason + "\",transport=\""
                        + transport + "\"} 0.0"), reason + " " + transport);
            }
        }
        for (String reason : SignalingMetrics.SESSION_END_REASONS) {
            assertTrue(text.contains("presence_sessions_ended_total{reason=\"" + reason + "\"} 0.0"), reason);
        }
    }

    /**
     * The lists hold every reason the code passes: each literal given to a connection's close or abort (a session's
     * end closes its connection, if it has one, with its own reason: listed in both), or to a session's end, in the
     * session and transport sources (constants included), is one of them. A new reason fails
     * here until it is listed (and so registered at zero) and documented in metrics/README.md.
     */
    @Test
    void everyReasonTheCodeUsesIsListed() throws Exception {
        java.util.Set<String> closes = new java.util.TreeSet<>();
        java.util.Set<String> ends = new java.util.TreeSet<>();
        java.util.regex.Pattern call = java.util.regex.Pattern.compile(
                "\\b(close|abort|end|endAsync|endAll)\\((\"([a-z_]+)\"|Session\\.REPLACED|REPLACED|RATE_LIMITED)");
        // The core's sessions and the server's transports (a sibling module).
        java.nio.file.Path sources = java.nio.file.Path.of("src", "main", "java", "io", "presence", "signaling");
        java.nio.file.Path transports = java.nio.file.Path.of("..", "server").resolve(sources).resolve("transport");
        for (java.nio.file.Path dir : java.util.List.of(sources.resolve("session"), transports)) {
            try (var walk = java.nio.file.Files.walk(dir)) {
                for (java.nio.file.Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    java.util.regex.Matcher m = call.matcher(java.nio.file.Files.readString(f));
                    while (m.find()) {
                        String reason = m.group(3) != null ? m.group(3)
                                : m.group(2).endsWith("REPLACED") ? Session.REPLACED : SessionRequests.RATE_LIMITED;
                        (m.group(1).startsWith("end") ? ends : closes).add(reason);
                    }
                }
            }
        }
        assertTrue(closes.size() >= 7 && ends.size() >= 4, "found the calls: " + closes + " " + ends);
        closes.removeAll(SignalingMetrics.CONNECTION_CLOSE_REASONS);
        assertTrue(closes.isEmpty(), "close reasons not in CONNECTION_CLOSE_REASONS: " + closes);
        ends.removeAll(SignalingMetrics.SESSION_END_REASONS);
        assertTrue(ends.isEmpty(), "session end reasons not in SESSION_END_REASONS: " + ends);
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "..", "metrics", "README.md"));
        for (String reason : SignalingMetrics.CONNECTION_CLOSE_REASONS) {
            assertTrue(readme.contains("`" + reason + "`"), "metrics/README.md documents " + reason);
        }
    }
}
