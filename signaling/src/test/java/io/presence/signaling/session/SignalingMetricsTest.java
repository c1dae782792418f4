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
}
