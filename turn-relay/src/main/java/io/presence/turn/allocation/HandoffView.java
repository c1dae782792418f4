package io.presence.turn.allocation;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * What another event loop may read of an allocation to deliver a handed-off datagram to its client: the expiry
 * of each permission and of each channel binding, by peer. An immutable snapshot that the allocation publishes
 * (volatile) on its own loop after every change to its permissions or channels — rare next to packets — so the
 * sending side of an in-process hand-off checks against it without touching the allocation's confined state
 * and without posting a task to the allocation's loop.
 *
 * <p>A snapshot a few microseconds old judges a racing packet as if it had arrived just before the change,
 * which is indistinguishable from network timing. Expiry is checked against the clock at use, so entries
 * that lapse between two publications are refused all the same.
 */
record HandoffView(Map<InetAddress, Long> permissionsUntil, Map<InetSocketAddress, Channel> channelsByPeer) {
    static final HandoffView EMPTY = new HandoffView(Map.of(), Map.of());

    /** A channel binding as seen from another loop: its number and when it lapses. */
    record Channel(int number, long until) {
    }

    static HandoffView of(Map<InetAddress, Permission> permissions, Map<InetSocketAddress, ChannelBinding> channels) {
        Map<InetAddress, Long> p = new HashMap<>(permissions.size() * 2);
        permissions.forEach((ip, perm) -> p.put(ip, perm.expiresAt()));
        Map<InetSocketAddress, Channel> c = new HashMap<>(channels.size() * 2);
        channels.forEach((peer, b) -> c.put(peer, new Channel(b.number(), b.expiresAt())));
        return new HandoffView(p, c);
    }

    boolean permits(InetAddress ip, long now) {
        Long until = permissionsUntil.get(ip);
        return until != null && now < until;
    }

    /** The live channel number bound to {@code peer}, or -1 (then the datagram goes as a Data indication). */
    int channel(InetSocketAddress peer, long now) {
        Channel c = channelsByPeer.get(peer);
        return c != null && now < c.until() ? c.number() : -1;
    }
}
