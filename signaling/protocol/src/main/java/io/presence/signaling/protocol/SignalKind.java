package io.presence.signaling.protocol;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kinds of {@code live.signal}. The wire name is stable API and the bounded {@code kind} label of the
 * signals-relayed metric.
 */
public enum SignalKind {
    /** SDP offer; only the newer peer of a pair sends it (see PROTOCOL.md, "Who offers"). */
    OFFER("offer"),
    /** SDP answer to an offer. */
    ANSWER("answer"),
    /** One trickled ICE candidate. */
    CANDIDATE("candidate"),
    /** No more candidates for this negotiation (optionally for one {@code sdpMid}). */
    END_OF_CANDIDATES("end-of-candidates"),
    /** The older peer of a pair asks the newer one for an ICE-restart offer (it must not offer itself). */
    RESTART("restart");

    /** {@code values()} clones its array on every call; this is looked up for every relayed signal. */
    private static final SignalKind[] ALL = values();

    private final String wire;

    SignalKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean carriesSdp() {
        return this == OFFER || this == ANSWER;
    }

    /** The kind with this wire name, or null. */
    public static SignalKind fromWire(String wire) {
        for (SignalKind k : ALL) {
            if (k.wire.equals(wire)) {
                return k;
            }
        }
        return null;
    }

    static String wireNames() {
        return Arrays.stream(values()).map(SignalKind::wire).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wire;
    }
}
