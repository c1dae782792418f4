package io.presence.turn.handler;

import io.netty.buffer.ByteBuf;
import io.presence.stun.AttributeType;
import io.presence.stun.IntegrityKey;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.server.StunPeer;

import java.util.function.Consumer;

/**
 * Writes TURN responses: no SOFTWARE and no reason phrases (they only enlarge what a reflector sends),
 * MESSAGE-INTEGRITY whenever the request was authenticated (RFC 8489 §9.2.4), FINGERPRINT whenever the
 * request carried one (RFC 8489 §7.3).
 */
final class Responses {
    private Responses() {
    }

    /** A success response with {@code body}'s attributes, signed with {@code key}. */
    static void success(StunPeer peer, StunMessage request, IntegrityKey key, Consumer<StunMessageWriter> body) {
        send(peer, request, true, key, body);
    }

    /** An error response; signed when {@code key} is not null (the request was authenticated). */
    static void error(StunPeer peer, StunMessage request, int code, IntegrityKey key) {
        send(peer, request, false, key, w -> w.errorCode(code, null));
    }

    /** 420 with UNKNOWN-ATTRIBUTES. */
    static void unknownAttributes(StunPeer peer, StunMessage request, IntegrityKey key) {
        int[] unknown = request.unknownComprehensionRequired();
        send(peer, request, false, key, w -> w.errorCode(420, null).unknownAttributes(unknown));
    }

    /** 401 or 438 with REALM and a fresh NONCE, never signed. */
    static void challenge(StunPeer peer, StunMessage request, int code, String realm, String nonce) {
        send(peer, request, false, null, w -> w.errorCode(code, null)
                .string(AttributeType.REALM, realm).string(AttributeType.NONCE, nonce));
    }

    private static void send(StunPeer peer, StunMessage request, boolean success, IntegrityKey key,
                             Consumer<StunMessageWriter> body) {
        ByteBuf out = peer.alloc().buffer(160);
        try {
            StunMessageWriter w = StunMessageWriter.response(out, request, success);
            body.accept(w);
            if (key != null) {
                w.messageIntegrity(key);
            }
            if (request.hasFingerprint()) {
                w.fingerprint();
            }
            w.finish();
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        peer.send(out);
    }
}
