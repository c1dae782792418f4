package io.presence.signaling.loadtest;

import java.util.Collections;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The outcome of one {@link LoadTest} run. Deliveries are counted per receiving session: a message in a room of
 * ten members is expected ten times (the sender receives its own message as an event too).
 *
 * @param sessionsOpened    sessions that completed hello
 * @param connectFailures   connections or hellos that failed
 * @param connectPerSecond  sessions opened per second during the connect phase
 * @param sent              chat messages offered
 * @param expected          deliveries expected from the messages the server acknowledged
 * @param delivered         distinct deliveries received
 * @param lost              expected − delivered (after the drain wait)
 * @param duplicated        deliveries received more than once
 * @param errors            errors of every kind: error frames (rate limits, refusals) and failed connects, joins
 *                          and resumes
 * @param errorsByCode      {@code errors} by code, sorted: the server's error codes, and {@code connect_failed},
 *                          {@code handshake_failed}, {@code timeout}, {@code connection_lost} for the client's own
 * @param resumesAttempted  connections dropped and resumed
 * @param resumesSucceeded  of those, resumed
 * @param resumeSeconds     from the mass drop until the last resume completed (0 without a drop)
 * @param seqGaps           event sequence gaps seen by the clients (any event type; must be 0)
 * @param seqDuplicates     events received twice by sequence number (any event type; must be 0)
 * @param acked             messages the server acknowledged ({@code chat.ack}; in persistent rooms: committed)
 * @param ackedPerSecond    acked over the time from the first send to the last ack
 * @param ackP50Micros      send → ack latency, median
 * @param ackP99Micros      send → ack latency, 99th percentile
 * @param ackMaxMicros      send → ack latency, the longest
 */
public record LoadTestReport(int sessionsOpened, int connectFailures, double connectPerSecond, long sent,
                             long expected, long delivered, long lost, long duplicated, long errors,
                             Map<String, Long> errorsByCode,
                             long p50Micros, long p95Micros, long p99Micros, long maxMicros,
                             int resumesAttempted, int resumesSucceeded, double resumeSeconds,
                             double durationSeconds, long seqGaps, long seqDuplicates,
                             long acked, double ackedPerSecond, long ackP50Micros, long ackP99Micros,
                             long ackMaxMicros) {

    public LoadTestReport {
        errorsByCode = Collections.unmodifiableMap(new TreeMap<>(errorsByCode));
    }

    /** Without ack figures. */
    public LoadTestReport(int sessionsOpened, int connectFailures, double connectPerSecond, long sent,
                          long expected, long delivered, long lost, long duplicated, long errors,
                          Map<String, Long> errorsByCode,
                          long p50Micros, long p95Micros, long p99Micros, long maxMicros,
                          int resumesAttempted, int resumesSucceeded, double resumeSeconds,
                          double durationSeconds, long seqGaps, long seqDuplicates) {
        this(sessionsOpened, connectFailures, connectPerSecond, sent, expected, delivered, lost, duplicated, errors,
                errorsByCode, p50Micros, p95Micros, p99Micros, maxMicros, resumesAttempted, resumesSucceeded,
                resumeSeconds, durationSeconds, seqGaps, seqDuplicates, 0, 0, 0, 0, 0);
    }

    public double deliveredPerSecond() {
        return durationSeconds > 0 ? delivered / durationSeconds : 0;
    }

    /** A human-readable summary, one value per line. */
    public String toText() {
        return String.format(java.util.Locale.ROOT, """
                sessions opened      %d (%d failed), %.0f/s
                messages sent        %d
                deliveries expected  %d
                delivered            %d (%.0f/s)
                lost                 %d
                duplicated           %d
                errors               %s
                latency p50/p95/p99  %.3f / %.3f / %.3f ms (max %.3f ms)
                resumed              %d of %d in %.2f s
                event seq gaps/dups  %d / %d
                acked                %d (%.0f/s)
                ack p50/p99          %.3f / %.3f ms (max %.3f ms)
                """, sessionsOpened, connectFailures, connectPerSecond, sent, expected, delivered,
                deliveredPerSecond(), lost, duplicated, describeErrors(errorsByCode), p50Micros / 1000.0,
                p95Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0, resumesSucceeded, resumesAttempted,
                resumeSeconds, seqGaps, seqDuplicates, acked, ackedPerSecond, ackP50Micros / 1000.0,
                ackP99Micros / 1000.0, ackMaxMicros / 1000.0);
    }

    /** Every component as a JSON object; {@code errorsByCode} is an object of code → count. */
    public String toJson() {
        return ReportJson.of(this);
    }

    /** {@code 0}, or the total and each code by count: {@code 53: auth_failed 50, rate_limited 3}. */
    public static String describeErrors(Map<String, Long> byCode) {
        long total = byCode.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return "0";
        }
        StringJoiner codes = new StringJoiner(", ");
        byCode.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> codes.add(e.getKey() + " " + e.getValue()));
        return total + ": " + codes;
    }
}
