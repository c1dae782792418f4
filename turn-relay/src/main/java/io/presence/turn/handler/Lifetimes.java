package io.presence.turn.handler;

import io.presence.stun.AttributeType;
import io.presence.stun.StunAttribute;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.Lifetime;
import io.presence.turn.config.TurnSettings;

/** The lifetime a request gets (RFC 8656 §7.2 and §7.3). */
final class Lifetimes {
    private Lifetimes() {
    }

    /**
     * RFC 8656 §7.2: the requested LIFETIME, capped at the maximum; a request for less than the default, or
     * none, gets the default. Returns -1 for an explicit 0 (Refresh: delete).
     */
    static long millis(StunMessage request, TurnSettings settings) {
        StunAttribute a = request.first(AttributeType.LIFETIME);
        long def = settings.allocationDefaultLifetime().toMillis();
        if (a == null) {
            return def;
        }
        long seconds = Lifetime.decode(a);
        if (seconds == 0) {
            return -1;
        }
        long max = settings.allocationMaxLifetime().toMillis();
        return Math.max(def, Math.min(max, seconds * 1000));
    }
}
