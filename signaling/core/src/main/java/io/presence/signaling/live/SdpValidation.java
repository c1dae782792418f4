package io.presence.signaling.live;

/** The outcome of {@link SdpValidator}: forward {@link Valid#sdp()} as it is, or reject with a reason. */
public sealed interface SdpValidation {

    /**
     * Accepted. {@code sdp} is the very string that was validated (same instance, never re-serialised), so
     * forwarding it alters nothing; {@code mediaSections} counts its {@code m=} lines.
     */
    record Valid(String sdp, int mediaSections) implements SdpValidation {
    }

    /**
     * Refused. {@code detail} says where (line number, offending letter or parser message) for the server log;
     * it may quote the input, so it belongs in logs at debug level, not in error frames to other peers.
     */
    record Invalid(SdpRejection reason, String detail) implements SdpValidation {
    }

    default boolean isValid() {
        return this instanceof Valid;
    }
}
