package io.presence.turn.handler;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.Lifetime;
import io.presence.stun.server.StunPeer;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.config.TurnSettings;
import io.presence.turn.metrics.TurnMetrics;

/** Refresh (RFC 8656 §7.3). Runs on the allocation's event loop. */
final class RefreshHandler {
    private final AllocationRequests requests;
    private final TurnSettings settings;
    private final TurnMetrics metrics;

    RefreshHandler(AllocationRequests requests, TurnSettings settings, TurnMetrics metrics) {
        this.requests = requests;
        this.settings = settings;
        this.metrics = metrics;
    }

    void handle(StunPeer peer, StunMessage req) {
        // Authentication (401/438, strict expiry), the 5-tuple's allocation (437), same credentials (441), 420.
        AllocationRequests.Target t = requests.open(peer, req, TurnMetrics.Request.REFRESH);
        if (t == null) {
            return;
        }
        Allocation a = t.allocation();
        // REQUESTED-ADDRESS-FAMILY other than the allocation's family: 443 Peer Address Family Mismatch.
        StunAttribute family = req.first(AttributeType.REQUESTED_ADDRESS_FAMILY);
        if (family != null && (AddressFamily.decode(family) == AddressFamily.IPV6) != a.ipv6()) {
            requests.error(peer, req, TurnMetrics.Request.REFRESH, ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH, t.who());
            return;
        }
        // A requested lifetime of 0 deletes the allocation at once; otherwise the new lifetime is computed as
        // for Allocate and never runs past the credentials' expiry (strict expiry).
        long lifetime = Lifetimes.millis(req, settings);
        long granted;
        if (lifetime < 0) {
            a.close();
            granted = 0;
        } else {
            granted = a.refresh(lifetime);
        }
        metrics.response(TurnMetrics.Request.REFRESH, true);
        Responses.success(peer, req, t.who().key(), w -> Lifetime.write(w, granted));
    }
}
