package io.presence.turn.handler;

import io.presence.turn.TurnMetrics;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.AllocationManager;
import io.presence.turn.policy.PeerPolicy;

import java.net.InetSocketAddress;

/**
 * Whether an allocation may open a permission or a channel towards a peer address (CreatePermission,
 * ChannelBind). The relayed address of a live allocation of this server is always acceptable, whatever range
 * its IP is in (two clients of one room relayed through this server is the normal relay-only call) — but in
 * a relay-only room only the relayed addresses of the same room are; anything else goes through the
 * {@link PeerPolicy}.
 */
final class PeerAccess {
    private final AllocationManager manager;
    private final PeerPolicy policy;
    private final TurnMetrics metrics;

    PeerAccess(AllocationManager manager, PeerPolicy policy, TurnMetrics metrics) {
        this.manager = manager;
        this.policy = policy;
        this.metrics = metrics;
    }

    boolean allowed(Allocation from, InetSocketAddress peer) {
        Allocation target = manager.relayTarget(peer);
        if (target != null) {
            if (from.room().relayOnly() && target.room() != from.room()) {
                metrics.peerDenied(TurnMetrics.PeerDenial.ROOM_SCOPE);
                return false;
            }
            return true;
        }
        if (from.room().relayOnly()) {
            metrics.peerDenied(TurnMetrics.PeerDenial.ROOM_SCOPE);
            return false;
        }
        PeerPolicy.Verdict v = policy.check(peer);
        if (!v.allowed()) {
            metrics.peerDenied(AllocationManager.denialOf(v));
            return false;
        }
        return true;
    }

    static boolean sameFamily(Allocation a, InetSocketAddress peer) {
        return (peer.getAddress() instanceof java.net.Inet6Address) == a.ipv6();
    }
}
