package io.presence.signaling.protocol;

/** A field of an otherwise well-formed frame is missing, mistyped or out of range. Message names the field. */
final class InvalidFieldException extends RuntimeException {
    InvalidFieldException(String message) {
        super(message, null, false, false);
    }
}
