package io.presence.turn.handler;

import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.AllocationManager;
import io.presence.turn.allocation.OwnHost;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.policy.PeerPolicy;

import java.net.InetSocketAddress;

/**
 * Whether an allocation may open a permission or a channel towards a peer address (CreatePermission, ChannelBind).
 *
 * <ol>
 *   <li>The relayed address of a live allocation of this server is acceptable, whatever range its IP is in (two
 *       clients of one room relayed through this server is the normal relay-only call) — to allocations of the same
 *       room only, whichever of the two rooms is relay-only: a room takes nothing from other rooms' allocations.</li>
 *   <li>Any other address of this host ({@link OwnHost}: a free relay port, the STUN, signaling or admin listener,
 *       any local service) is refused, whatever the configured allow list says.</li>
 *   <li>A relay-only room reaches nothing else.</li>
 *   <li>Anything else goes through the {@link PeerPolicy}.</li>
 * </ol>
 *
 * <p>Another room's live relay address and a free relay port get the same answer (403) after the same work (both
 * lookups are made either way), so the answer does not tell whether an allocation sits on a port. Only the metric
 * label differs ({@link AllocationManager#hostDenial}).
 */
final class PeerAccess {
    private final AllocationManager manager;
    private final PeerPolicy policy;
    private final OwnHost ownHost;
    private final TurnMetrics metrics;

    PeerAccess(AllocationManager manager, PeerPolicy policy, TurnMetrics metrics) {
        this.manager = manager;
        this.policy = policy;
        this.ownHost = manager.context().ownHost();
        this.metrics = metrics;
    }

    boolean allowed(Allocation from, InetSocketAddress peer) {
        Allocation target = manager.relayTarget(peer);
        OwnHost.Kind kind = ownHost.kind(peer.getAddress());
        if (target != null && target.room() == from.room()) {
            return true;
        }
        if (target != null || kind == OwnHost.Kind.OWN
                || kind == OwnHost.Kind.LOOPBACK_PEER && ownHost.relayPort(peer.getPort())) {
            metrics.peerDenied(manager.hostDenial(from, peer, manager.context().clock().millis()));
            return false;
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
