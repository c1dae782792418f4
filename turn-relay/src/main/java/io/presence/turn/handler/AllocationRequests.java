package io.presence.turn.handler;

import io.presence.stun.StunMessage;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.server.StunPeer;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.AllocationManager;
import io.presence.turn.allocation.FiveTuple;
import io.presence.turn.metrics.TurnMetrics;

/**
 * The common start of Refresh, CreatePermission and ChannelBind (RFC 8656 §7.3, §9.2, §11.2): authenticate;
 * find the allocation of the 5-tuple (437 when none); require the same USERNAME that made it (441); refuse
 * unknown comprehension-required attributes (420).
 */
final class AllocationRequests {
    /** An authenticated request on an existing allocation. */
    record Target(Allocation allocation, Authenticator.Auth who) {
    }

    private final Authenticator auth;
    private final AllocationManager manager;
    private final TurnMetrics metrics;

    AllocationRequests(Authenticator auth, AllocationManager manager, TurnMetrics metrics) {
        this.auth = auth;
        this.manager = manager;
        this.metrics = metrics;
    }

    /** The allocation the request is about, or null when refused (the answer has been sent). */
    Target open(StunPeer peer, StunMessage req, TurnMetrics.Request method) {
        Authenticator.Auth who = auth.authenticate(peer, req);
        if (who == null) {
            return null;
        }
        Allocation a = manager.find(new FiveTuple(peer.transport(), peer.remoteAddress(), peer.localAddress()));
        if (a == null || !a.eventLoop().inEventLoop()) {
            error(peer, req, method, ErrorCode.ALLOCATION_MISMATCH, who);
            return null;
        }
        if (!a.username().equals(who.username())) {
            metrics.authFailure(TurnMetrics.AuthFailure.WRONG_CREDENTIALS);
            error(peer, req, method, ErrorCode.WRONG_CREDENTIALS, who);
            return null;
        }
        if (req.hasUnknownComprehensionRequired()) {
            metrics.response(method, false);
            Responses.unknownAttributes(peer, req, who.key());
            return null;
        }
        return new Target(a, who);
    }

    void error(StunPeer peer, StunMessage req, TurnMetrics.Request method, int code, Authenticator.Auth who) {
        metrics.response(method, false);
        Responses.error(peer, req, code, who.key());
    }
}
