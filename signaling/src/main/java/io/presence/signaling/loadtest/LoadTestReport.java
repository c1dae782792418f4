package io.presence.signaling.loadtest;

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
 * @param errors            error frames received (rate limits, refusals)
 * @param resumesAttempted  connections dropped and resumed
 * @param resumesSucceeded  of those, resumed
 * @param resumeSeconds     from the mass drop until the last resume completed (0 without a drop)
 * @param seqGaps           event sequence gaps seen by the clients (any event type; must be 0)
 * @param seqDuplicates     events received twice by sequence number (any event type; must be 0)
 */
public record LoadTestReport(int sessionsOpened, int connectFailures, double connectPerSecond, long sent,
                             long expected, long delivered, long lost, long duplicated, long errors,
                             long p50Micros, long p95Micros, long p99Micros, long maxMicros,
                             int resumesAttempted, int resumesSucceeded, double resumeSeconds,
                             double durationSeconds, long seqGaps, long seqDuplicates) {

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
                errors received      %d
                latency p50/p95/p99  %.3f / %.3f / %.3f ms (max %.3f ms)
                resumed              %d of %d in %.2f s
                event seq gaps/dups  %d / %d
                """, sessionsOpened, connectFailures, connectPerSecond, sent, expected, delivered,
                deliveredPerSecond(), lost, duplicated, errors, p50Micros / 1000.0, p95Micros / 1000.0,
                p99Micros / 1000.0, maxMicros / 1000.0, resumesSucceeded, resumesAttempted, resumeSeconds,
                seqGaps, seqDuplicates);
    }
}
