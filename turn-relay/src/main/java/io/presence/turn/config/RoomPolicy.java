package io.presence.turn.config;

/** How far a room's allocations may relay. */
public enum RoomPolicy {
    /**
     * Allocations made with this room's credentials may only get permissions (and send) to relayed transport
     * addresses of allocations of the same room on this server, and receive only from those: media never leaves
     * the relay for anywhere else, nothing from outside the room gets in, and no participant learns another's own
     * address.
     */
    RELAY_ONLY,
    /**
     * Any peer the server's peer policy allows (the default). In either mode, another room's relayed addresses and
     * every other address of this host are never peers.
     */
    OPEN
}
