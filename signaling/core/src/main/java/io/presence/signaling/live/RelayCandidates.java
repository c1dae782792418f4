package io.presence.signaling.live;

import java.net.InetAddress;

/**
 * Which relay candidates a relay-only room may forward: those at a relayed address of this appliance's relay and,
 * where the relay can tell, of a live allocation of the room. Bound to one room by its call; called on the room's
 * event loop, so it must not block.
 */
@FunctionalInterface
public interface RelayCandidates {

    boolean admits(InetAddress address, int port);
}
