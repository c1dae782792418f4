package io.presence.signaling.session;

import io.presence.signaling.protocol.ServerMessage;

/**
 * One request's place in its connection's {@link ResponseOrder}: what a room gets as the connection handle of a
 * {@link io.presence.signaling.room.Reply}. Filled on the session's loop only.
 */
record ResponseSlot(ResponseOrder order, long place) {

    /** Sends {@code message} as this request's response once every earlier response is out; null = none. */
    void respond(ServerMessage message) {
        order.fill(place, message);
    }
}
