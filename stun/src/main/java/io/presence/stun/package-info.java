/**
 * STUN/TURN wire format: {@link io.presence.stun.StunMessage} (decode, integrity, fingerprint),
 * {@link io.presence.stun.StunMessageWriter} (encode and sign straight into a ByteBuf),
 * {@link io.presence.stun.IntegrityKey} (short- and long-term keys), and the type constants. The hot path
 * (ChannelData, Send and Data indications) lives in {@code io.presence.stun.codec} and never builds a
 * {@code StunMessage}. Netty adapters and the Binding server live in {@code io.presence.stun.server}.
 *
 * <p>No type of ice4j appears in this module's API.
 */
package io.presence.stun;
