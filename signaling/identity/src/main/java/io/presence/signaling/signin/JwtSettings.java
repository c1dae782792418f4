package io.presence.signaling.signin;

import java.time.Duration;
import java.util.Objects;

/**
 * The token rules beyond the keys.
 *
 * @param clockSkew how far the issuer's clock may differ from ours: {@code exp}, {@code nbf} and {@code iat} are
 *                  judged with this much slack
 * @param maxTtl    the longest a token may live ({@code exp - iat}, or {@code exp - now} without {@code iat});
 *                  longer ones are refused, since a leaked long-lived token cannot be taken back
 * @param issuer    required {@code iss}, or null for none
 * @param audience  required member of {@code aud}, or null for none
 */
public record JwtSettings(Duration clockSkew, Duration maxTtl, String issuer, String audience) {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(24);

    public static final JwtSettings DEFAULT = new JwtSettings(DEFAULT_CLOCK_SKEW, DEFAULT_MAX_TTL, null, null);

    public JwtSettings {
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(maxTtl, "maxTtl");
        if (clockSkew.isNegative() || maxTtl.isNegative() || maxTtl.isZero()) {
            throw new IllegalArgumentException("clockSkew must be >= 0 and maxTtl > 0");
        }
        issuer = issuer == null || issuer.isBlank() ? null : issuer;
        audience = audience == null || audience.isBlank() ? null : audience;
    }
}
