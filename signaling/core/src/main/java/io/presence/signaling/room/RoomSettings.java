package io.presence.signaling.room;

import java.time.Duration;

/** The part of the configuration rooms need. */
public record RoomSettings(int membersPerRoom, int historySize, Duration typingTimeout) {
}
