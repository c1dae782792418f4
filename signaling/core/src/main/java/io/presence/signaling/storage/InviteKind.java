package io.presence.signaling.storage;

import java.util.Locale;

/**
 * What an invite lets through, and how often. The wire name is also the kept value and the {@code kind} label of
 * the invite metrics.
 */
public enum InviteKind {
    /** One per room at a time; anyone with the link, any number of times, until revoked or expired. */
    PUBLIC,
    /** Consumed by its first redemption. */
    SINGLE,
    /** For one known user, who sees it in their pending invites; consumed when accepted. */
    TARGETED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a wire or kept name, or null for anything else. */
    public static InviteKind fromWire(String wire) {
        for (InviteKind k : values()) {
            if (k.wire().equals(wire)) {
                return k;
            }
        }
        return null;
    }

    /** Single and targeted invites are used once; a public one any number of times. */
    public boolean singleUse() {
        return this != PUBLIC;
    }
}
