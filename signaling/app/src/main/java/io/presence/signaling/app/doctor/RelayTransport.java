package io.presence.signaling.app.doctor;

import java.util.Locale;

/** How a probe reaches the STUN/TURN port. */
public enum RelayTransport {
    UDP, TCP, TLS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
