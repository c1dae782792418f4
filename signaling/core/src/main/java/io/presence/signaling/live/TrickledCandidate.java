package io.presence.signaling.live;

import java.util.List;

/** Privacy mode's verdict on one trickled candidate: forward {@link Kept#candidate()}, or drop it and count. */
public sealed interface TrickledCandidate {

    /**
     * An admitted relay candidate, rebuilt, or an end-of-candidates marker, to be forwarded; {@code removed} names
     * the candidate extensions that were left out ({@code "candidate network-id"}), sorted.
     */
    record Kept(String candidate, List<String> removed) implements TrickledCandidate {
    }

    /** Not forwarded; {@code kind} is never {@link CandidateKind#RELAY} (a relay not admitted is OTHER). */
    record Stripped(CandidateKind kind) implements TrickledCandidate {
    }
}
