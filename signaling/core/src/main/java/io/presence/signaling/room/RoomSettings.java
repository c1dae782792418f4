package io.presence.signaling.room;

import java.time.Duration;

/**
 * The part of the configuration rooms need.
 *
 * @param idleUnload how long a persistent room stays loaded with no member; zero unloads it when its last member
 *                   leaves. Ephemeral rooms unload when empty whatever it is.
 */
public record RoomSettings(int membersPerRoom, int historySize, Duration typingTimeout, Duration idleUnload) {

    public RoomSettings {
        if (idleUnload == null || idleUnload.isNegative()) {
            throw new IllegalArgumentException("idleUnload must be zero or positive");
        }
    }

    /** Rooms that unload as soon as their last member leaves, persistent ones too. */
    public RoomSettings(int membersPerRoom, int historySize, Duration typingTimeout) {
        this(membersPerRoom, historySize, typingTimeout, Duration.ZERO);
    }
}
