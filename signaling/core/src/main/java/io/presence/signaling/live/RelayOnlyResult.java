package io.presence.signaling.live;

import java.util.List;

/**
 * What {@link RelayOnlyFilter#filterSdp} produced: the rebuilt SDP to forward, the candidates it left out (by
 * kind), and the sorted names of the attributes ({@code a=} lines, e.g. {@code "label"}, {@code "candidate
 * network-id"} for a candidate extension) and line types ({@code "i="}) it dropped, at most 32. Or a refusal: an
 * SDP whose {@code m=} line, {@code mid}, {@code ice-ufrag} or {@code ice-pwd} cannot be rebuilt is not forwarded
 * at all ({@code sdp} null, {@code refusal} says why, for debug logs).
 */
public record RelayOnlyResult(String sdp, StrippedCandidates stripped, List<String> removedAttributes,
                              String refusal) {

    static RelayOnlyResult refused(String detail) {
        return new RelayOnlyResult(null, StrippedCandidates.NONE, List.of(), detail);
    }

    public boolean isRefused() {
        return refusal != null;
    }

    /** Something the sender wrote was left out. */
    public boolean removedAnything() {
        return stripped.total() > 0 || !removedAttributes.isEmpty();
    }
}
