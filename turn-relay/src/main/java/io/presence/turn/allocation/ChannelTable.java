package io.presence.turn.allocation;

import io.presence.turn.metrics.TurnMetrics;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * An allocation's channel bindings (RFC 8656 §12), in one structure: found by number (ChannelData from the client)
 * and by peer address (datagrams to the client), on the allocation's loop and, for in-process hand-offs, on others.
 *
 * <p>An array of bindings, scanned: an allocation has a few channels (at most its quota, 64 by default), and a scan
 * compares ints and allocates nothing, where a {@code HashMap<Integer, …>} would box the number on every ChannelData
 * packet (channel numbers are above Integer's cache). The scan by peer compares the port first. Copy-on-write: the
 * owner replaces the array when a binding comes or goes (rare next to packets) and publishes it through a volatile
 * field, and a binding's expiry is volatile, so another loop reads a consistent table without a lock.
 *
 * <p>A binding counts against the quota and the {@code turn_channels} gauge while it is live; lapsed, it stays in the
 * table through its cool-down ({@link ChannelBinding#COOL_DOWN_MILLIS}), then {@link #expire} drops it. Changed on the
 * allocation's loop only.
 */
final class ChannelTable {
    private static final ChannelBinding[] EMPTY = new ChannelBinding[0];

    private final int quota;
    private final TurnMetrics metrics;
    private volatile ChannelBinding[] bindings = EMPTY;
    private int counted;

    ChannelTable(int quota, TurnMetrics metrics) {
        this.quota = quota;
        this.metrics = metrics;
    }

    /** The binding of {@code number}, live or cooling down, or null. */
    ChannelBinding byNumber(int number) {
        for (ChannelBinding b : bindings) {
            if (b.number() == number) {
                return b;
            }
        }
        return null;
    }

    /** The binding of {@code peer}, live or cooling down, or null. */
    ChannelBinding byPeer(InetSocketAddress peer) {
        int port = peer.getPort();
        for (ChannelBinding b : bindings) {
            InetSocketAddress p = b.peer();
            if (p.getPort() == port && (p == peer || p.equals(peer))) {
                return b;
            }
        }
        return null;
    }

    /** The live binding of {@code number} at {@code now}, or null. */
    ChannelBinding live(int number, long now) {
        ChannelBinding b = byNumber(number);
        return b != null && b.live(now) ? b : null;
    }

    /** The number of the live binding of {@code peer} at {@code now}, or -1. Any loop. */
    int liveNumber(InetSocketAddress peer, long now) {
        ChannelBinding b = byPeer(peer);
        return b != null && b.live(now) ? b.number() : -1;
    }

    /**
     * Whether binding {@code number} to {@code peer} breaks RFC 8656 §12's rebinding rule: the number is bound, live or
     * cooling down, to another address, or the address to another number. A binding in the way whose cool-down is over
     * is dropped on the way.
     */
    boolean conflicts(int number, InetSocketAddress peer, long now) {
        ChannelBinding byNumber = byNumber(number);
        if (byNumber != null && !byNumber.peer().equals(peer)) {
            if (byNumber.coolingDown(now)) {
                return true;
            }
            remove(byNumber);
        }
        ChannelBinding byPeer = byPeer(peer);
        if (byPeer != null && byPeer.number() != number) {
            if (byPeer.coolingDown(now)) {
                return true;
            }
            remove(byPeer);
        }
        return false;
    }

    /**
     * Binds {@code number} to {@code peer} until {@code until}, or refreshes (and revives) that binding. Call after
     * {@link #conflicts} said no. False, changing nothing, when a new live binding would exceed the quota.
     */
    boolean bind(int number, InetSocketAddress peer, long until) {
        ChannelBinding b = byNumber(number);
        if (b == null) {
            if (counted >= quota) {
                return false;
            }
            b = new ChannelBinding(number, peer, until);
            ChannelBinding[] next = Arrays.copyOf(bindings, bindings.length + 1);
            next[next.length - 1] = b;
            bindings = next;
        } else if (!b.counted && counted >= quota) {
            return false;
        } else {
            b.refresh(until);
        }
        count(b, true);
        return true;
    }

    /**
     * Uncounts the bindings lapsed at {@code now} and drops those whose cool-down is over. Returns the earliest time
     * something is due (an expiry or the end of a cool-down), at most {@code next}.
     */
    long expire(long now, long next) {
        for (ChannelBinding b : bindings) {
            if (b.live(now)) {
                next = Math.min(next, b.expiresAt());
                continue;
            }
            count(b, false);
            if (b.coolingDown(now)) {
                next = Math.min(next, b.expiresAt() + ChannelBinding.COOL_DOWN_MILLIS);
            } else {
                remove(b);
            }
        }
        return next;
    }

    /** Drops every binding (the allocation closes). */
    void clear() {
        for (ChannelBinding b : bindings) {
            count(b, false);
        }
        bindings = EMPTY;
    }

    /** Live (counted) bindings. */
    int counted() {
        return counted;
    }

    /** Bindings held, live or cooling down. */
    int size() {
        return bindings.length;
    }

    private void count(ChannelBinding b, boolean live) {
        if (b.counted == live) {
            return;
        }
        b.counted = live;
        int delta = live ? 1 : -1;
        counted += delta;
        metrics.channelsChanged(delta);
    }

    private void remove(ChannelBinding b) {
        count(b, false);
        ChannelBinding[] cs = bindings;
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == b) {
                ChannelBinding[] next = new ChannelBinding[cs.length - 1];
                System.arraycopy(cs, 0, next, 0, i);
                System.arraycopy(cs, i + 1, next, i, cs.length - i - 1);
                bindings = next;
                return;
            }
        }
    }
}
