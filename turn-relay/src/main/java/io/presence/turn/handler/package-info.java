/**
 * TURN on the STUN port: {@link io.presence.turn.handler.TurnDispatcher} (the {@code StunExtension}) routes each
 * request to one handler per method, and ChannelData and Send indications to the allocation's data path.
 */
package io.presence.turn.handler;
