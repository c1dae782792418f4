package io.presence.signaling.live;

/**
 * What {@link RelayOnlyFilter#filterSdp} produced: the SDP to forward, what it stripped, and how many other lines
 * it had to touch ({@code c=}, {@code m=}, {@code o=}, {@code a=rtcp}, scrubbed relay candidates) or drop (lines
 * that would have revealed a client address, {@code a=remote-candidates}).
 */
public record RelayOnlyResult(String sdp, StrippedCandidates stripped, int linesRewritten, int linesRemoved) {

    public boolean changed() {
        return stripped.total() > 0 || linesRewritten > 0 || linesRemoved > 0;
    }
}
