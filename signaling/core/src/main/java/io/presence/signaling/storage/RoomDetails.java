package io.presence.signaling.storage;

/**
 * What the host-platform API shows of a kept room: its name and how many messages its chat keeps (deleted ones
 * included: they keep their place and id).
 */
public record RoomDetails(String roomId, String name, long messageCount) {
}
