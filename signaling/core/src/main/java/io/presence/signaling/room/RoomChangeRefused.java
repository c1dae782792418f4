package io.presence.signaling.room;

import io.presence.signaling.protocol.ErrorCode;

/**
 * Why a change the server itself asked of a room (the host-platform API) was not made: the room is gone
 * ({@code unknown_room}), keeps no name ({@code not_persistent}), or its store failed (the store's code). Nothing
 * changed.
 */
public final class RoomChangeRefused extends RuntimeException {
    private final ErrorCode code;

    public RoomChangeRefused(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
