package io.presence.signaling.room;

import java.time.Duration;

/**
 * The part of the configuration rooms need.
 *
 * @param idleUnload     how long a persistent room stays loaded with no member; zero unloads it when its last
 *                       member leaves. Ephemeral rooms unload when empty whatever it is.
 * @param chatEditWindow how long after sending a sender may edit its message; zero = never (owners always may)
 */
public record RoomSettings(int membersPerRoom, int historySize, Duration typingTimeout, Duration idleUnload,
                           Duration chatEditWindow) {
    /** Fifteen minutes, as {@code signaling.chatEditWindow}'s default. */
    public static final Duration DEFAULT_CHAT_EDIT_WINDOW = Duration.ofMinutes(15);

    public RoomSettings {
        if (idleUnload == null || idleUnload.isNegative()) {
            throw new IllegalArgumentException("idleUnload must be zero or positive");
        }
        if (chatEditWindow == null || chatEditWindow.isNegative()) {
            throw new IllegalArgumentException("chatEditWindow must be zero or positive");
        }
    }

    /** Rooms with the default chat edit window. */
    public RoomSettings(int membersPerRoom, int historySize, Duration typingTimeout, Duration idleUnload) {
        this(membersPerRoom, historySize, typingTimeout, idleUnload, DEFAULT_CHAT_EDIT_WINDOW);
    }

    /** Rooms that unload as soon as their last member leaves, persistent ones too. */
    public RoomSettings(int membersPerRoom, int historySize, Duration typingTimeout) {
        this(membersPerRoom, historySize, typingTimeout, Duration.ZERO);
    }
}
