/**
 * STUN/TURN wire format (RFC 8489, RFC 8656 attributes, ChannelData) and the STUN Binding service.
 * The codec and server arrive with the STUN issue.
 */
package io.presence.stun;
