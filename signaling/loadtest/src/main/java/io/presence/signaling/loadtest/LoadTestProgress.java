package io.presence.signaling.loadtest;

/**
 * What a running {@link LoadTest} reports as it goes, from the thread that drives it: the phase, how far along it
 * is, and the running counts. {@link ProgressPrinter} shows it to a person.
 */
public interface LoadTestProgress {

    LoadTestProgress NONE = snapshot -> { };

    void update(Snapshot snapshot);

    enum Phase { CONNECTING, JOINING, SENDING, RESUMING, DRAINING, HOLDING, DONE }

    /**
     * @param phase          what the engine is doing
     * @param phaseFraction  how far along this phase is, 0..1
     * @param sessions       sessions open
     * @param targetSessions sessions asked for
     * @param sent           chat messages offered so far
     * @param delivered      deliveries received so far
     * @param errors         errors so far, of every code
     */
    record Snapshot(Phase phase, double phaseFraction, int sessions, int targetSessions, long sent, long delivered,
                    long errors) { }
}
