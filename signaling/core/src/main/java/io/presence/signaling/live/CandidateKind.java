package io.presence.signaling.live;

/**
 * What an ICE candidate reveals, as counted when privacy mode strips it. {@link #MDNS} wins over the
 * {@code typ}: a candidate whose address is an mDNS {@code .local} name is counted as MDNS whatever its type.
 * {@link #OTHER} is an unknown {@code typ} or a line that does not follow the candidate grammar (RFC 8839 §5.1).
 */
public enum CandidateKind {
    HOST,
    SRFLX,
    PRFLX,
    RELAY,
    MDNS,
    OTHER
}
