/**
 * The TURN relay (RFC 8656): allocations, permissions, channels, REST credentials, peer policy.
 * Arrives with the TURN relay issue.
 */
package io.presence.turn;
