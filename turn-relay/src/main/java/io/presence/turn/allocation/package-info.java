/**
 * Allocations and what they own (RFC 8656 §2.2, §9, §12): {@link io.presence.turn.allocation.AllocationManager} owns
 * every {@link io.presence.turn.allocation.Allocation}; an allocation owns its
 * {@link io.presence.turn.allocation.PermissionTable}, {@link io.presence.turn.allocation.ChannelTable}, relay socket
 * and client socket. Sockets are reached through interfaces this package defines
 * ({@link io.presence.turn.allocation.RelaySocket}, {@link io.presence.turn.allocation.RelaySocketPool}, stun's
 * {@code StunPeer}), so the package runs without sockets in tests; {@code transport} implements them.
 */
package io.presence.turn.allocation;
