package io.presence.signaling.invite;

import java.time.Duration;
import java.util.Objects;

/**
 * How invites are made: their lifetime when the creator names none, the longest one a creator may choose, and the
 * host their links name.
 *
 * @param publicHost where browsers reach this server ({@code server.publicHost}); null or empty: links are the
 *                   relative path {@code /join/<token>}, for the client to resolve against the server it talks to
 */
public record InviteSettings(Duration defaultTtl, Duration maxTtl, String publicHost) {
    /** Shorter than a minute could not reach anyone before it expires. */
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final InviteSettings DEFAULT = new InviteSettings(Duration.ofHours(24), Duration.ofDays(30), null);
    public static final String JOIN_PATH = "/join/";

    public InviteSettings {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        if (maxTtl.compareTo(MIN_TTL) < 0) {
            throw new IllegalArgumentException("invites.maxTtl must be at least " + MIN_TTL.toSeconds() + " s");
        }
        if (defaultTtl.compareTo(MIN_TTL) < 0 || defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("invites.defaultTtl must be between " + MIN_TTL.toSeconds()
                    + " s and invites.maxTtl");
        }
    }

    /** The join link of a token. */
    public String url(String token) {
        String path = JOIN_PATH + token;
        return publicHost == null || publicHost.isBlank() ? path : "https://" + publicHost + path;
    }
}
