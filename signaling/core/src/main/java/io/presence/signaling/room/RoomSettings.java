package io.presence.signaling.room;

import java.time.Duration;

/** The part of the configuration rooms need. */
public record RoomSettings(int membersPerRoom, int historySize, Duration typingTimeout) {
    /** Retries are recognised among this many recent client message ids per room, at least. */
    static final int MIN_DEDUP_WINDOW = 1024;

    int dedupWindow() {
        return Math.max(MIN_DEDUP_WINDOW, historySize * 4);
    }
}
