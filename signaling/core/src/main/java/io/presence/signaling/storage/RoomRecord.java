package io.presence.signaling.storage;

import java.util.Objects;

/**
 * What a {@link RoomStore} keeps of a room between loads: its identity and what was fixed at creation.
 *
 * @param id             the room id (also its capability under the default access policy)
 * @param relayOnly      privacy mode of its call, fixed at creation
 * @param createdBy      user id of the creator
 * @param createdAtMillis epoch milliseconds of creation
 * @param direct         the direct room of two users: they are its only members, for its whole life
 */
public record RoomRecord(String id, boolean relayOnly, String createdBy, long createdAtMillis, boolean direct) {
    public RoomRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    /** A room that is not a direct room. */
    public RoomRecord(String id, boolean relayOnly, String createdBy, long createdAtMillis) {
        this(id, relayOnly, createdBy, createdAtMillis, false);
    }
}
