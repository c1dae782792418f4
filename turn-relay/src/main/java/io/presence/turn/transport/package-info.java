/**
 * Relay sockets on Netty: {@link io.presence.turn.transport.RelaySockets} (bind, park and reuse) and the peer sockets
 * connected to one peer each ({@link io.presence.turn.transport.PeerSockets}). Implements the socket interfaces of
 * {@code allocation} and hands every datagram to its allocation.
 */
package io.presence.turn.transport;
