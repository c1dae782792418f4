package io.presence.signaling.room;

/**
 * What calls report for metrics. Implementations are thread-safe and cheap; {@link #NONE} does nothing. Every
 * argument is a bounded word (signal kind, candidate kind, rejection reason), never an id.
 */
public interface LiveStats {
    LiveStats NONE = new LiveStats() {
    };

    default void participantJoined() {
    }

    default void participantLeft() {
    }

    default void callStarted() {
    }

    default void callEnded() {
    }

    /** {@code kind}: a {@code SignalKind} wire name. */
    default void signalRelayed(String kind) {
    }

    /** {@code kind}: a lower-case {@code CandidateKind} name. */
    default void candidatesStripped(String kind, int count) {
    }

    default void credentialsMinted() {
    }

    default void credentialsRefreshed() {
    }

    default void credentialsRevoked() {
    }

    default void iceRestartRequested() {
    }

    /** {@code reason}: a lower-case {@code SdpRejection} name. */
    default void sdpRejected(String reason) {
    }
}
