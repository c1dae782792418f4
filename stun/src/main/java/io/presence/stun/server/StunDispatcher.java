package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunDecodeException;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.codec.ChannelData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where traffic on the STUN port is told apart, transport-neutral: ChannelData (first bits
 * 0b01) and Send indications go undecoded to the extension; other STUN messages are decoded, Binding
 * requests answered, and the rest offered to the extension. Malformed input is counted by reason and
 * dropped; nothing here ever closes a UDP socket.
 *
 * <p>Thread-safe (stateless); runs on the event loop of the socket the frame came from.
 */
final class StunDispatcher {
    private static final Logger log = LoggerFactory.getLogger(StunDispatcher.class);

    private final BindingService binding;
    private final StunExtension extension;
    private final StunMetrics metrics;

    StunDispatcher(BindingService binding, StunExtension extension, StunMetrics metrics) {
        this.binding = binding;
        this.extension = extension;
        this.metrics = metrics;
    }

    /**
     * Handles one datagram or stream frame. Takes ownership of {@code frame}. Returns whether it was well-formed: a
     * STUN message that decoded, or ChannelData or a Send indication that the extension took.
     */
    boolean dispatch(StunPeer peer, ByteBuf frame) {
        return dispatch(peer, null, frame);
    }

    /**
     * As {@link #dispatch(StunPeer, ByteBuf)}, with ChannelData and Send indications going to {@code owner} instead of
     * the extension when it is not null (a client socket's {@link PeerOwner}).
     */
    boolean dispatch(StunPeer peer, PeerOwner owner, ByteBuf frame) {
        StunTransport transport = peer.transport();
        boolean released = false;
        try {
            int index = frame.readerIndex();
            if (frame.isReadable() && ChannelData.isChannelData(frame.getUnsignedByte(index))) {
                released = true;
                if (!(owner != null ? owner.onChannelData(frame) : extension.onChannelData(peer, frame))) {
                    metrics.unhandled(transport, StunMetrics.Unhandled.CHANNEL_DATA);
                    frame.release();
                    return false;
                }
                return true;
            }
            if (frame.readableBytes() >= 2 && frame.getUnsignedShort(index) == Method.SEND_INDICATION_TYPE) {
                released = true;
                if (!(owner != null ? owner.onSendIndication(frame) : extension.onSendIndication(peer, frame))) {
                    metrics.unhandled(transport, StunMetrics.Unhandled.SEND_INDICATION);
                    frame.release();
                    return false;
                }
                return true;
            }
            StunMessage message = StunMessage.decode(frame);
            released = true;
            frame.release();
            route(peer, message);
            return true;
        } catch (StunDecodeException e) {
            metrics.decodeFailure(transport, e.reason());
            if (log.isDebugEnabled()) {
                log.debug("dropped {} bytes from {} over {}: {}", frame.readableBytes(), peer.remoteAddress(),
                        transport.label(), e.getMessage());
            }
            return false;
        } finally {
            if (!released) {
                frame.release();
            }
        }
    }

    private void route(StunPeer peer, StunMessage message) {
        if (message.method() == Method.BINDING) {
            MessageClass cls = message.messageClass();
            if (cls == MessageClass.REQUEST) {
                binding.handle(peer, message);
                return;
            }
            if (cls == MessageClass.INDICATION) {
                return; // a keepalive: nothing to do
            }
        }
        if (extension.onMessage(peer, message)) {
            return;
        }
        StunTransport transport = peer.transport();
        switch (message.messageClass()) {
            case REQUEST -> {
                metrics.unhandled(transport, StunMetrics.Unhandled.REQUEST);
                peer.send(badRequest(peer, message));
            }
            case INDICATION -> metrics.unhandled(transport, StunMetrics.Unhandled.INDICATION);
            default -> metrics.unhandled(transport, StunMetrics.Unhandled.RESPONSE);
        }
    }

    private static ByteBuf badRequest(StunPeer peer, StunMessage request) {
        ByteBuf out = peer.alloc().buffer(36);
        StunMessageWriter w = StunMessageWriter.response(out, request, false).errorCode(ErrorCode.BAD_REQUEST, null);
        if (request.hasFingerprint()) {
            w.fingerprint();
        }
        w.finish();
        return out;
    }
}
