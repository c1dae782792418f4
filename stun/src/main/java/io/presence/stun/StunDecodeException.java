package io.presence.stun;

/**
 * The one exception the decoders throw for bad input. It carries no stack trace: it is thrown for every bad
 * packet an attacker cares to send, and a stack trace would make that cheap attack expensive for us.
 */
public final class StunDecodeException extends Exception {
    private final DecodeFailure reason;

    public StunDecodeException(DecodeFailure reason, String detail) {
        super(reason.label() + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public DecodeFailure reason() {
        return reason;
    }
}
