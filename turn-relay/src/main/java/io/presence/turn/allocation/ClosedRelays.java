package io.presence.turn.allocation;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which room's allocation last closed on each relay port, and when: so that traffic of a call that has ended
 * (browsers keep checking candidate pairs, and refreshing permissions, after the other side's allocation is gone)
 * is told apart from an attempt to reach another room. Only the metric label depends on it — the answer to the
 * client is the same either way, so it reveals nothing about the port.
 *
 * <p>One slot per port of the relay range (the last close wins; a port that changed hands twice within
 * {@link #WINDOW_MILLIS} is judged by its latest close). Thread-safe: written once per allocation when it ends,
 * read only on a denial.
 */
final class ClosedRelays {
    /**
     * How long after an allocation closed its room's traffic to it counts as the end of a call: longer than ICE's
     * consent timeout (30 s) and than a permission (300 s) that the survivor made while the call was on.
     */
    static final long WINDOW_MILLIS = 10 * 60_000L;

    private record Closed(InetSocketAddress relay, String room, long at) {
    }

    private final int portMin;
    private final AtomicReferenceArray<Closed> byPort;

    ClosedRelays(int portMin, int portMax) {
        this.portMin = portMin;
        this.byPort = new AtomicReferenceArray<>(portMax - portMin + 1);
    }

    /** Records that an allocation of {@code room} at {@code relay} closed at {@code now}. */
    void closed(InetSocketAddress relay, String room, long now) {
        int i = relay.getPort() - portMin;
        if (i >= 0 && i < byPort.length()) {
            byPort.set(i, new Closed(relay, room, now));
        }
    }

    /**
     * Whether the last allocation that closed at {@code relay} was of {@code room}, within the window before
     * {@code now}.
     */
    boolean lately(InetSocketAddress relay, String room, long now) {
        int i = relay.getPort() - portMin;
        if (i < 0 || i >= byPort.length()) {
            return false;
        }
        Closed c = byPort.get(i);
        return c != null && now - c.at() < WINDOW_MILLIS && c.relay().equals(relay) && c.room().equals(room);
    }
}
