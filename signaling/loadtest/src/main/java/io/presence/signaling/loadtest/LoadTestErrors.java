package io.presence.signaling.loadtest;

import io.presence.signaling.client.SignalingException;
import io.presence.signaling.protocol.ServerMessage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The errors of one load test run, counted by code: the server's error codes ({@code auth_failed},
 * {@code limit_exceeded:message_rate}...) and closing reasons ({@code closing:rate_limited}) as they came, and the client's own failures under fixed words ({@code connect_failed},
 * {@code handshake_failed}, {@code timeout}, {@code connection_lost}). Thread-safe.
 */
final class LoadTestErrors {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstMessage = new ConcurrentHashMap<>();

    void record(String code, String message) {
        counts.computeIfAbsent(code, k -> new LongAdder()).increment();
        if (message != null) {
            firstMessage.putIfAbsent(code, message);
        }
    }

    /** An error frame; a refused limit is counted under the limit's name too ({@code limit_exceeded:message_rate}). */
    void record(ServerMessage.Error error) {
        record(error.limit() == null ? error.code() : error.code() + ":" + error.limit(), error.message());
    }

    /** The server closing a connection, by its reason ({@code closing:rate_limited}). */
    void record(ServerMessage.Closing closing) {
        record("closing:" + closing.reason(), closing.message());
    }

    /** A failed request or connection, under its server error code or the client-side word for it. */
    void record(RuntimeException e) {
        if (e instanceof SignalingException s) {
            record(s.error());
            return;
        }
        String message = String.valueOf(e.getMessage());
        String code = message.startsWith("cannot connect") ? "connect_failed"
                : message.startsWith("handshake with") ? "handshake_failed"
                : message.startsWith("no response within") ? "timeout"
                : message.startsWith("request failed") || message.startsWith("not connected") ? "connection_lost"
                : "client_error";
        record(code, message);
    }

    long total() {
        long n = 0;
        for (LongAdder a : counts.values()) {
            n += a.sum();
        }
        return n;
    }

    /** Count per code, sorted by code. */
    Map<String, Long> byCode() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((code, n) -> out.put(code, n.sum()));
        return out;
    }

    /**
     * Why not one session could be opened, in one line. A refused sign-in names the setting the target needs: the
     * generator signs in with the development provider.
     */
    String noSessionExplanation(String target) {
        Map<String, Long> byCode = byCode();
        String counted = LoadTestReport.describeErrors(byCode);
        if (byCode.containsKey("auth_failed") || byCode.containsKey("no_provider")) {
            String code = byCode.containsKey("auth_failed") ? "auth_failed" : "no_provider";
            return "authentication failed at " + target + " (" + code + ": " + firstMessage.getOrDefault(code, "")
                    + "): the load test signs in with the development provider; enable it on the target with "
                    + "signaling.devAuth: true (PRESENCE_SIGNALING_DEV_AUTH=true), on a test server only";
        }
        String first = byCode.isEmpty() ? "" : firstMessage.getOrDefault(byCode.keySet().iterator().next(), "");
        return "no session could be opened at " + target + " (errors: " + counted + ")"
                + (first.isEmpty() ? "" : ": " + first);
    }
}
