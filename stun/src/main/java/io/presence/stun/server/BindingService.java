package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.presence.stun.AttributeType;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.attr.ErrorCode;

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
 * <p>Comprehension-required attributes the codec does not know get 420 with UNKNOWN-ATTRIBUTES; so does
 * CHANGE-REQUEST, since RFC 5780 is not served (RFC 5780 §7.2: that 420 is how clients learn it).
 *
 * <p>Thread-safe (stateless).
 */
final class BindingService {
    private final StunMetrics metrics;
    private final Optional<String> software;

    BindingService(StunMetrics metrics, Optional<String> software) {
        this.metrics = metrics;
        this.software = software;
    }

    void handle(StunPeer peer, StunMessage request) {
        StunTransport transport = peer.transport();
        metrics.bindingRequest(transport);
        int[] unknown = unknownAttributes(request);
        ByteBuf out = peer.alloc().buffer(64);
        try {
            StunMessageWriter w = StunMessageWriter.response(out, request, unknown.length == 0);
            if (unknown.length > 0) {
                w.errorCode(ErrorCode.UNKNOWN_ATTRIBUTE, null).unknownAttributes(unknown);
            } else {
                w.xorAddress(AttributeType.XOR_MAPPED_ADDRESS, peer.remoteAddress());
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
        peer.send(out);
    }

    private static int[] unknownAttributes(StunMessage request) {
        int[] unknown = request.unknownComprehensionRequired();
        if (!request.has(AttributeType.CHANGE_REQUEST)) {
            return unknown;
        }
        int[] withChange = java.util.Arrays.copyOf(unknown, unknown.length + 1);
        withChange[unknown.length] = AttributeType.CHANGE_REQUEST;
        return withChange;
    }
}
