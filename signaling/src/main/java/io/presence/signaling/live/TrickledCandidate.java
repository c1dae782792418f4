package io.presence.signaling.live;

/** Privacy mode's verdict on one trickled candidate: forward {@link Kept#candidate()}, or drop it and count. */
public sealed interface TrickledCandidate {

    /** A relay candidate (related address scrubbed) or an end-of-candidates marker, to be forwarded. */
    record Kept(String candidate) implements TrickledCandidate {
    }

    /** Not forwarded; {@code kind} is never {@link CandidateKind#RELAY}. */
    record Stripped(CandidateKind kind) implements TrickledCandidate {
    }
}
