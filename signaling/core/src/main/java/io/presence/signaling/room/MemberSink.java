package io.presence.signaling.room;

import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.Loop;

/**
 * Where a room sends things for one member session. The room never touches a socket: implementations (the
 * session) must return quickly and never block; they typically hand the message to another event loop.
 *
 * <p>Calls from one room arrive in the order the room made them; implementations must keep that order.
 */
public interface MemberSink {

    /** A room event for every connection of the session; sequenced and buffered for resume by the session. */
    void event(RoomEvent event);

    /**
     * A response to one request; goes to the connection that sent the request, if it is still there. A room calls
     * it exactly once for every request it is handed (with a {@link Reply} other than {@link Reply#NONE}): the
     * connection sends its responses in request order, so a missing one holds back every later one.
     */
    void reply(Reply to, ServerMessage message);

    /** The room no longer counts this session as a member (left, rejected, or the room closed). */
    void detached(String roomId);

    /**
     * The loop this sink's calls end up on, or null if it has none. Lets a room hand each loop all of its
     * members' deliveries of one event in one task; calls made on that loop must then run without another hop.
     */
    default Loop loop() {
        return null;
    }
}
