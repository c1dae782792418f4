package io.presence.stun.server;

import java.util.Locale;

/** The transport a STUN message or ChannelData frame arrived on; a bounded metric label. */
public enum StunTransport {
    UDP,
    TCP,
    TLS;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /** Stream transports need ChannelData padded to 4 bytes (RFC 8656 §12.5). */
    public boolean isStream() {
        return this != UDP;
    }
}
