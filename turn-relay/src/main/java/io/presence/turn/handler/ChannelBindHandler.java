package io.presence.turn.handler;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.ChannelNumber;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.XorAddress;
import io.presence.stun.server.StunPeer;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.ClientFrames;
import io.presence.turn.metrics.TurnMetrics;

import java.net.InetSocketAddress;

/** ChannelBind (RFC 8656 §11.2). On the allocation's event loop. */
final class ChannelBindHandler {
    private final AllocationRequests requests;
    private final PeerAccess access;
    private final TurnMetrics metrics;
    private final ClientFrames frames;

    ChannelBindHandler(AllocationRequests requests, PeerAccess access, TurnMetrics metrics, ClientFrames frames) {
        this.frames = frames;
        this.requests = requests;
        this.access = access;
        this.metrics = metrics;
    }

    void handle(StunPeer peer, StunMessage req) {
        AllocationRequests.Target t = requests.open(peer, req, TurnMetrics.Request.CHANNEL_BIND);
        if (t == null) {
            return;
        }
        Allocation a = t.allocation();
        // CHANNEL-NUMBER and XOR-PEER-ADDRESS present, the number within 0x4000–0x4FFF (RFC 8656 §12; or
        // 0x4000–0x7FFF of RFC 5766 when legacy numbers are accepted): else 400. With several XOR-PEER-ADDRESS,
        // the first one counts.
        StunAttribute number = req.first(AttributeType.CHANNEL_NUMBER);
        StunAttribute peerAttr = req.first(AttributeType.XOR_PEER_ADDRESS);
        if (number == null || peerAttr == null || !frames.validChannel(ChannelNumber.decode(number))) {
            requests.error(peer, req, TurnMetrics.Request.CHANNEL_BIND, ErrorCode.BAD_REQUEST, t.who());
            return;
        }
        InetSocketAddress p = XorAddress.decode(peerAttr);
        if (!PeerAccess.sameFamily(a, p)) {
            requests.error(peer, req, TurnMetrics.Request.CHANNEL_BIND, ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH, t.who());
            return;
        }
        if (!access.allowed(a, p)) {
            requests.error(peer, req, TurnMetrics.Request.CHANNEL_BIND, ErrorCode.FORBIDDEN, t.who());
            return;
        }
        // The rebinding rules (number bound to another address, address bound to another number, either within
        // 5 minutes of expiry): 400. Over the channel or permission quota: 508.
        switch (a.bind(ChannelNumber.decode(number), p)) {
            case CONFLICT -> requests.error(peer, req, TurnMetrics.Request.CHANNEL_BIND, ErrorCode.BAD_REQUEST, t.who());
            case QUOTA -> requests.error(peer, req, TurnMetrics.Request.CHANNEL_BIND, ErrorCode.INSUFFICIENT_CAPACITY,
                    t.who());
            case BOUND -> {
                metrics.response(TurnMetrics.Request.CHANNEL_BIND, true);
                Responses.success(peer, req, t.who().key(), w -> { });
            }
        }
    }
}
