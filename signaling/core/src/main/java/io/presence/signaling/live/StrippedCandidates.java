package io.presence.signaling.live;

/**
 * How many candidates privacy mode removed, by kind, for the "candidates stripped by type" counter.
 * Relay candidates are never stripped, so there is no relay count.
 */
public record StrippedCandidates(int host, int srflx, int prflx, int mdns, int other) {

    public static final StrippedCandidates NONE = new StrippedCandidates(0, 0, 0, 0, 0);

    public StrippedCandidates {
        if (host < 0 || srflx < 0 || prflx < 0 || mdns < 0 || other < 0) {
            throw new IllegalArgumentException("negative count");
        }
    }

    /** One stripped candidate of {@code kind}; {@link CandidateKind#RELAY} is not a stripped kind. */
    public static StrippedCandidates of(CandidateKind kind) {
        return NONE.plus(kind);
    }

    public StrippedCandidates plus(CandidateKind kind) {
        return switch (kind) {
            case HOST -> new StrippedCandidates(host + 1, srflx, prflx, mdns, other);
            case SRFLX -> new StrippedCandidates(host, srflx + 1, prflx, mdns, other);
            case PRFLX -> new StrippedCandidates(host, srflx, prflx + 1, mdns, other);
            case MDNS -> new StrippedCandidates(host, srflx, prflx, mdns + 1, other);
            case OTHER -> new StrippedCandidates(host, srflx, prflx, mdns, other + 1);
            case RELAY -> throw new IllegalArgumentException("relay candidates are never stripped");
        };
    }

    public int count(CandidateKind kind) {
        return switch (kind) {
            case HOST -> host;
            case SRFLX -> srflx;
            case PRFLX -> prflx;
            case MDNS -> mdns;
            case OTHER -> other;
            case RELAY -> 0;
        };
    }

    public int total() {
        return host + srflx + prflx + mdns + other;
    }
}
