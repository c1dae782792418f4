/**
 * The per-packet path and stream framing: {@link io.presence.stun.codec.ChannelData} and
 * {@link io.presence.stun.codec.TurnIndication} parse and build in place on Netty buffers without a
 * {@link io.presence.stun.StunMessage}; {@link io.presence.stun.codec.StunFrameDecoder} cuts TCP/TLS streams
 * into the same frames a datagram carries. Codecs only translate bytes; handlers live in
 * {@code io.presence.stun.server}.
 */
package io.presence.stun.codec;
