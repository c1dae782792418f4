package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.attr.ErrorCode;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Answers Binding requests (RFC 8489 §6.3.1 and §7): XOR-MAPPED-ADDRESS with the requester's reflexive
 * address, FINGERPRINT when the request had one, and nothing else by default — no SOFTWARE, no legacy
 * MAPPED-ADDRESS, no reason phrases — so a minimal 20-byte IPv4 request gets a 32-byte answer (coturn
 * sends 100).
 *
 * <p>MESSAGE-INTEGRITY in a Binding request is ignored: the STUN port has no credentials for Binding, and
 * RFC 8489 lets a server without a credential mechanism answer without authenticating.
 *
 * <p>Comprehension-required attributes the codec does not know get 420 with UNKNOWN-ATTRIBUTES. So does
 * CHANGE-REQUEST and RESPONSE-PORT unless RFC 5780 is configured (RFC 5780 §7.2: that 420 is how clients learn it is not
 * served), and always over TCP/TLS, where a response cannot come from another address.
 *
 * <p>With RFC 5780 configured, UDP answers add RESPONSE-ORIGIN and OTHER-ADDRESS (24 more bytes: the 2×
 * amplification bound does not hold then, which is why it is off by default) and honour CHANGE-REQUEST
 * and RESPONSE-PORT. PADDING is never honoured, so it always gets 420.
 *
 * <p>Thread-safe (stateless).
 */
final class BindingService {
    private static final long CHANGE_IP = 0x04;
    private static final long CHANGE_PORT = 0x02;

    private final StunMetrics metrics;
    private final Optional<String> software;

    BindingService(StunMetrics metrics, Optional<String> software) {
        this.metrics = metrics;
        this.software = software;
    }

    void handle(StunPeer peer, StunMessage request) {
        StunTransport transport = peer.transport();
        metrics.bindingRequest(transport);
        DatagramStunHandler.UdpPeer rfc5780 = peer instanceof DatagramStunHandler.UdpPeer u
                && u.others() != null && u.others().isComplete() ? u : null;
        int[] unknown = rfc5780 != null ? request.unknownComprehensionRequired() : withoutRfc5780(request);
        InetSocketAddress to = peer.remoteAddress();
        Channel from = null;
        ByteBuf out = peer.alloc().buffer(96);
        try {
            StunMessageWriter w = StunMessageWriter.response(out, request, unknown.length == 0);
            if (unknown.length > 0) {
                w.errorCode(ErrorCode.UNKNOWN_ATTRIBUTE, null).unknownAttributes(unknown);
            } else {
                w.xorAddress(AttributeType.XOR_MAPPED_ADDRESS, peer.remoteAddress());
            }
            if (rfc5780 != null && unknown.length == 0) {
                // RFC 5780 §6.1: answer from the address CHANGE-REQUEST asks for; name it and the other one.
                StunAttribute change = request.first(AttributeType.CHANGE_REQUEST);
                long flags = change == null ? 0 : change.u32(0);
                int ip = rfc5780.ipIndex() ^ ((flags & CHANGE_IP) != 0 ? 1 : 0);
                int port = rfc5780.portIndex() ^ ((flags & CHANGE_PORT) != 0 ? 1 : 0);
                OtherAddresses others = rfc5780.others();
                from = others.channel(ip, port);
                w.address(AttributeType.RESPONSE_ORIGIN, others.address(ip, port));
                w.address(AttributeType.OTHER_ADDRESS, others.address(1 - rfc5780.ipIndex(), 1 - rfc5780.portIndex()));
                StunAttribute responsePort = request.first(AttributeType.RESPONSE_PORT);
                if (responsePort != null) {
                    // RFC 5780 §7.5: same IP, the port the client asks for (it listens there to tell
                    // filtering apart); never another IP, so it cannot aim responses at a third party.
                    to = new InetSocketAddress(to.getAddress(), responsePort.u16(0));
                }
            }
            software.ifPresent(s -> w.string(AttributeType.SOFTWARE, s));
            if (request.hasFingerprint()) {
                w.fingerprint();
            }
            w.finish();
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        if (unknown.length > 0) {
            metrics.bindingError(transport);
        } else {
            metrics.bindingSuccess(transport);
        }
        if (from == null || from == rfc5780.channel() && to.equals(peer.remoteAddress())) {
            peer.send(out);
        } else {
            from.writeAndFlush(new DatagramPacket(out, to), from.voidPromise());
        }
    }

    /** Unknown attributes when RFC 5780 is not served: its request attributes count as unknown. */
    private static int[] withoutRfc5780(StunMessage request) {
        int[] unknown = request.unknownComprehensionRequired();
        for (int type : new int[] {AttributeType.CHANGE_REQUEST, AttributeType.RESPONSE_PORT}) {
            if (request.has(type)) {
                unknown = java.util.Arrays.copyOf(unknown, unknown.length + 1);
                unknown[unknown.length - 1] = type;
            }
        }
        return unknown;
    }
}
