/**
 * The STUN port: {@link io.presence.stun.server.StunServer} binds UDP, TCP and TLS on the shared
 * {@code NetStack}, answers Binding and hands everything else to a {@link io.presence.stun.server.StunExtension}
 * (the TURN relay). {@link io.presence.stun.server.StunSettings} is its configuration,
 * {@link io.presence.stun.server.StunMetrics} its meters.
 */
package io.presence.stun.server;
