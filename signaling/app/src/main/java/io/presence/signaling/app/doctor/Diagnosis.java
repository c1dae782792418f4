package io.presence.signaling.app.doctor;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Plain words for the ways a connection fails. */
final class Diagnosis {

    private Diagnosis() {
    }

    static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer (timed out)";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Whole seconds, at least one, for "no answer in N s". */
    static long seconds(java.time.Duration d) {
        return Math.max(1, Math.round(d.toMillis() / 1000.0));
    }
}
