package io.presence.turn.allocation;

import java.security.SecureRandom;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

/**
 * The relay port range (RFC 8656 §7.2 recommends 49152–65535), one pool shared by both address families.
 * Ports are handed out from a random starting point so relay addresses are not predictable (RFC 8656 §7.2
 * asks for randomised ports), and an exhausted pool answers with -1 so the caller can send 508.
 *
 * <p>EVEN-PORT with R=1 reserves the next port under an 8-byte RESERVATION-TOKEN for
 * {@link #RESERVATION_MILLIS} (RFC 8656 §7.2: "about 30 seconds").
 *
 * <p>Thread-safe (guarded by this; taken only at allocation creation and deletion).
 */
public final class RelayPorts {
    /** RFC 8656 §7.2: a reservation lasts about 30 seconds. */
    public static final long RESERVATION_MILLIS = 30_000;

    private final int min;
    private final int max;
    private final BitSet used;
    private final Random random = new SecureRandom();
    private final Map<Long, long[]> reservations = new HashMap<>(); // token → {port, expiresAtMillis}
    private int inUse;

    public RelayPorts(int min, int max) {
        this.min = min;
        this.max = max;
        this.used = new BitSet(max - min + 1);
    }

    public int size() {
        return max - min + 1;
    }

    public synchronized int inUse() {
        return inUse;
    }

    /** A free port, or -1 when the range is exhausted. */
    public synchronized int acquire() {
        return acquire(false, false);
    }

    /**
     * A free port; when {@code even}, an even one; when {@code reserveNext}, an even one whose successor is
     * free too (the successor is then taken as well, and must be released by {@link #reserve} or
     * {@link #release}). -1 when none fits.
     */
    public synchronized int acquire(boolean even, boolean reserveNext) {
        int n = size();
        int start = random.nextInt(n);
        for (int i = 0; i < n; i++) {
            int idx = (start + i) % n;
            int port = min + idx;
            if (used.get(idx)) {
                continue;
            }
            if ((even || reserveNext) && (port & 1) != 0) {
                continue;
            }
            if (reserveNext) {
                if (port + 1 > max || used.get(idx + 1)) {
                    continue;
                }
                used.set(idx + 1);
                inUse++;
            }
            used.set(idx);
            inUse++;
            return port;
        }
        return -1;
    }

    /** Takes a specific port (one that was reserved) — false when it is not free. */
    public synchronized boolean take(int port) {
        int idx = port - min;
        if (idx < 0 || port > max || used.get(idx)) {
            return false;
        }
        used.set(idx);
        inUse++;
        return true;
    }

    public synchronized void release(int port) {
        int idx = port - min;
        if (idx >= 0 && port <= max && used.get(idx)) {
            used.clear(idx);
            inUse--;
        }
    }

    /** Records that {@code port} (already taken) is held for {@code token} until {@code nowMillis + 30 s}. */
    public synchronized void reserve(long token, int port, long nowMillis) {
        reservations.put(token, new long[] {port, nowMillis + RESERVATION_MILLIS});
    }

    /**
     * Claims the port reserved under {@code token}: returns it (still taken, now the caller's) or -1 when
     * the token is unknown or expired.
     */
    public synchronized int claim(long token, long nowMillis) {
        long[] r = reservations.remove(token);
        if (r == null) {
            return -1;
        }
        if (r[1] <= nowMillis) {
            release((int) r[0]);
            return -1;
        }
        return (int) r[0];
    }

    /** Releases reservations whose time has passed. */
    public synchronized void expireReservations(long nowMillis) {
        for (Iterator<long[]> it = reservations.values().iterator(); it.hasNext(); ) {
            long[] r = it.next();
            if (r[1] <= nowMillis) {
                release((int) r[0]);
                it.remove();
            }
        }
    }
}
