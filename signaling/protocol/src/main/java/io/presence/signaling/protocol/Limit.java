package io.presence.signaling.protocol;

/** The configured limits an {@code limit_exceeded} error can name (its {@code limit} field). */
public enum Limit {
    MEMBERS_PER_ROOM("members_per_room"),
    ROOMS_PER_SESSION("rooms_per_session"),
    FRAME_BYTES("frame_bytes"),
    TEXT_LENGTH("text_length"),
    MESSAGE_RATE("message_rate"),
    CALL_PARTICIPANTS("call_participants");

    private final String wire;

    Limit(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
