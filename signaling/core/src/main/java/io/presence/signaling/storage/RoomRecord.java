package io.presence.signaling.storage;

import java.util.Objects;

/**
 * What a {@link RoomStore} keeps of a room between loads: its identity and what was fixed at creation.
 *
 * @param id             the room id (also its capability under the default access policy)
 * @param relayOnly      privacy mode of its call, fixed at creation
 * @param createdBy      user id of the creator
 * @param createdAtMillis epoch milliseconds of creation
 */
public record RoomRecord(String id, boolean relayOnly, String createdBy, long createdAtMillis) {
    public RoomRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdBy, "createdBy");
    }
}
