package io.presence.signaling.app.config;

import io.presence.signaling.invite.InviteSettings;

import java.time.Duration;

import static io.presence.signaling.app.config.ConfigSchema.AUTH_GUEST_ENABLED;
import static io.presence.signaling.app.config.ConfigSchema.INVITES_DEFAULT_TTL;
import static io.presence.signaling.app.config.ConfigSchema.INVITES_MAX_TTL;
import static io.presence.signaling.app.config.ConfigSchema.SERVER_PUBLIC_HOST;

/** The {@code invites.*} and {@code auth.guest.*} keys as the core's invite settings. */
public final class InviteConfig {

    private InviteConfig() {
    }

    public static boolean guestsEnabled(PresenceConfig config) {
        return config.values().get(AUTH_GUEST_ENABLED);
    }

    /**
     * The invites' lifetimes and the host of their links ({@code server.publicHost}; unset: relative links).
     * A default lifetime above the longest allowed stops the start: every invite without a ttl would be refused.
     */
    public static InviteSettings invites(PresenceConfig config) throws ConfigException {
        ConfigValues v = config.values();
        Duration defaultTtl = v.get(INVITES_DEFAULT_TTL);
        Duration maxTtl = v.get(INVITES_MAX_TTL);
        if (defaultTtl.compareTo(maxTtl) > 0) {
            throw new ConfigException(INVITES_DEFAULT_TTL.path(), INVITES_DEFAULT_TTL.type().render(defaultTtl),
                    "is above " + INVITES_MAX_TTL.path() + " (" + INVITES_MAX_TTL.type().render(maxTtl) + ")",
                    "at most " + INVITES_MAX_TTL.path());
        }
        String host = v.get(SERVER_PUBLIC_HOST);
        return new InviteSettings(defaultTtl, maxTtl, host.isEmpty() ? null : host);
    }
}
