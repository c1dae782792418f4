package io.presence.turn.allocation;

import java.net.InetSocketAddress;

/**
 * A channel binding (RFC 8656 §12): channel number ↔ peer transport address, live until {@link #expiresAt()}. After it
 * lapses, the number and the address stay reserved to each other for {@link #COOL_DOWN_MILLIS} (RFC 8656 §12: neither
 * may be rebound to something else for 5 minutes after expiry, so late packets of the old binding can never be taken
 * for the new one); rebinding the same pair revives it.
 *
 * <p>Owned by its allocation's {@link ChannelTable}, changed on the allocation's event loop only; the expiry is
 * volatile because in-process hand-offs read it from other loops.
 */
public final class ChannelBinding {
    /** RFC 8656 §12: 5 minutes before a lapsed number or address may be rebound elsewhere. */
    public static final long COOL_DOWN_MILLIS = 300_000;

    private final int number;
    private final InetSocketAddress peer;
    private volatile long expiresAt;
    // Whether it counts against the quota and the gauge: while live. On the loop.
    boolean counted;

    ChannelBinding(int number, InetSocketAddress peer, long expiresAt) {
        this.number = number;
        this.peer = peer;
        this.expiresAt = expiresAt;
    }

    public int number() {
        return number;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    public long expiresAt() {
        return expiresAt;
    }

    void refresh(long until) {
        expiresAt = until;
    }

    boolean live(long now) {
        return now < expiresAt;
    }

    boolean coolingDown(long now) {
        return now < expiresAt + COOL_DOWN_MILLIS;
    }
}
