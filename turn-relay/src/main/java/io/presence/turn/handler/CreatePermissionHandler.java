package io.presence.turn.handler;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.XorAddress;
import io.presence.stun.server.StunPeer;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.metrics.TurnMetrics;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** CreatePermission (RFC 8656 §9.2). All or nothing: one refused peer refuses the request. On the loop. */
final class CreatePermissionHandler {
    private final AllocationRequests requests;
    private final PeerAccess access;
    private final TurnMetrics metrics;

    CreatePermissionHandler(AllocationRequests requests, PeerAccess access, TurnMetrics metrics) {
        this.requests = requests;
        this.access = access;
        this.metrics = metrics;
    }

    void handle(StunPeer peer, StunMessage req) {
        AllocationRequests.Target t = requests.open(peer, req, TurnMetrics.Request.CREATE_PERMISSION);
        if (t == null) {
            return;
        }
        Allocation a = t.allocation();
        // At least one XOR-PEER-ADDRESS: else 400. Every one of them is processed (ice4j keeps only one).
        List<StunAttribute> attrs = req.all(AttributeType.XOR_PEER_ADDRESS);
        if (attrs.isEmpty()) {
            requests.error(peer, req, TurnMetrics.Request.CREATE_PERMISSION, ErrorCode.BAD_REQUEST, t.who());
            return;
        }
        List<InetAddress> ips = new ArrayList<>(attrs.size());
        for (StunAttribute attr : attrs) {
            InetSocketAddress p = XorAddress.decode(attr);
            // A peer of the other family than the relayed address: 443.
            if (!PeerAccess.sameFamily(a, p)) {
                requests.error(peer, req, TurnMetrics.Request.CREATE_PERMISSION,
                        ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH, t.who());
                return;
            }
            // A peer the policy forbids: 403.
            if (!access.allowed(a, p)) {
                requests.error(peer, req, TurnMetrics.Request.CREATE_PERMISSION, ErrorCode.FORBIDDEN, t.who());
                return;
            }
            ips.add(p.getAddress());
        }
        // Over the per-allocation quota: 508 Insufficient Capacity.
        if (!a.canPermit(ips)) {
            requests.error(peer, req, TurnMetrics.Request.CREATE_PERMISSION, ErrorCode.INSUFFICIENT_CAPACITY, t.who());
            return;
        }
        ips.forEach(a::permit);
        metrics.response(TurnMetrics.Request.CREATE_PERMISSION, true);
        Responses.success(peer, req, t.who().key(), w -> { });
    }
}
