/**
 * Which peers the relay may reach ({@link io.presence.turn.policy.PeerPolicy}: default deny ranges, allow and deny
 * lists) and the address arithmetic it needs (CIDRs, IPv4 embedded in IPv6). Depends on no other package of the relay.
 */
package io.presence.turn.policy;
