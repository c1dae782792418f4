package io.presence.signaling.app.doctor;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What one gathering told: the addresses the server reported, or why there were none. Written by ice4j's
 * harvest threads, read after the harvest has completed.
 */
final class Probe {

    /** Why a gathering produced no candidate. */
    enum Failure {
        /** Nothing came back before the retransmissions ran out. */
        NO_ANSWER,
        /** The TCP connection (or the TLS handshake) could not be made. */
        UNREACHABLE,
        /** The server answered with an error code. */
        ERROR_RESPONSE,
        /** The server answered with success but ice4j made no candidate of it. */
        NO_CANDIDATE
    }

    private volatile InetSocketAddress mapped;
    private volatile InetSocketAddress relayed;
    private volatile int errorCode;
    private volatile String errorReason = "";
    private volatile String serverRealm = "";
    private volatile boolean answered;
    private volatile String unreachable;
    private volatile Duration elapsed = Duration.ZERO;

    void mapped(InetSocketAddress address) {
        answered = true;
        mapped = address;
    }

    void relayed(InetSocketAddress address) {
        answered = true;
        relayed = address;
    }

    void error(int code, String reason, String realm) {
        answered = true;
        errorCode = code;
        errorReason = reason == null ? "" : reason;
        if (realm != null && !realm.isEmpty()) {
            serverRealm = realm;
        }
    }

    void unreachable(String why) {
        unreachable = why;
    }

    void elapsed(Duration d) {
        elapsed = d;
    }

    InetSocketAddress mapped() {
        return mapped;
    }

    InetSocketAddress relayed() {
        return relayed;
    }

    int errorCode() {
        return errorCode;
    }

    String errorReason() {
        return errorReason;
    }

    /** The REALM the server named in its last error response, or empty. */
    String serverRealm() {
        return serverRealm;
    }

    String unreachableReason() {
        return unreachable;
    }

    Duration elapsed() {
        return elapsed;
    }

    /** Null when the gathering succeeded for {@code relay} (a relayed address) or for STUN (a mapped address). */
    Failure failure(boolean relay) {
        if (unreachable != null) {
            return Failure.UNREACHABLE;
        }
        if (relay ? relayed != null : mapped != null) {
            return null;
        }
        if (errorCode != 0) {
            return Failure.ERROR_RESPONSE;
        }
        return answered ? Failure.NO_CANDIDATE : Failure.NO_ANSWER;
    }
}
