package io.presence.signaling.live;

/** The identifier grammars relay-only rooms hold clients to, for fields that travel outside the SDP too. */
public final class SdpIdentifiers {

    /** Longest {@code mid} accepted in relay-only rooms (browsers use a few digits). */
    public static final int MAX_MID = 32;

    private SdpIdentifiers() {
    }

    /**
     * A media id ({@code a=mid}, a candidate's {@code sdpMid}): 1..{@value #MAX_MID} token characters other than
     * {@code '.'} and {@code '%'}, so that no address or host name fits in it.
     */
    public static boolean isMid(String mid) {
        return SdpGrammar.safeToken(mid, 1, MAX_MID);
    }
}
