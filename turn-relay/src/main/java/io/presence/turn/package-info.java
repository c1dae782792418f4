/**
 * The TURN relay (RFC 8656, RFC 6156) as the appliance wires it: {@link io.presence.turn.TurnServer} (the composition
 * root of the relay: it builds every other package's parts and plugs TURN into the STUN port) and the in-process
 * control API the signaling side calls ({@link io.presence.turn.RelayControl}, {@link io.presence.turn.RelayStats}).
 * No other package of the relay depends on this one.
 */
package io.presence.turn;
