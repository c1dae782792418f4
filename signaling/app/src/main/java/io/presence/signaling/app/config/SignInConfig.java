package io.presence.signaling.app.config;

import io.presence.signaling.session.SignInThrottle;
import io.presence.signaling.session.TrustedProxies;
import io.presence.signaling.friend.FriendSettings;
import io.presence.signaling.signin.JwtSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.presence.signaling.app.config.ConfigSchema.*;

/** The {@code auth.*} keys as the settings of signed-token sign-in and of the sign-in throttle. */
public final class SignInConfig {

    private SignInConfig() {
    }

    public static boolean jwtEnabled(PresenceConfig config) {
        return config.values().get(AUTH_JWT_ENABLED);
    }

    public static JwtSettings jwt(PresenceConfig config) {
        ConfigValues v = config.values();
        return new JwtSettings(v.get(AUTH_JWT_CLOCK_SKEW), v.get(AUTH_JWT_MAX_TTL), v.get(AUTH_JWT_ISSUER),
                v.get(AUTH_JWT_AUDIENCE));
    }

    /** The configured PEM file of public keys, if any. */
    public static Optional<Path> publicKeyFile(PresenceConfig config) {
        String f = config.values().get(AUTH_JWT_PUBLIC_KEY_FILE);
        return f.isEmpty() ? Optional.empty() : Optional.of(Path.of(f));
    }

    /** The configured JWKS file, if any. */
    public static Optional<Path> jwksFile(PresenceConfig config) {
        String f = config.values().get(AUTH_JWT_JWKS_FILE);
        return f.isEmpty() ? Optional.empty() : Optional.of(Path.of(f));
    }

    /** The configured HS256 secrets, the signing one first; empty = generate one in the data directory. */
    public static java.util.List<Secret> tokenKeys(PresenceConfig config) {
        return config.values().secrets(SIGNALING_TOKEN_KEYS);
    }

    public static SignInThrottle.Settings throttle(PresenceConfig config) throws ConfigException {
        ConfigValues v = config.values();
        int delayAfter = v.get(AUTH_THROTTLE_DELAY_AFTER);
        int refuseAfter = v.get(AUTH_THROTTLE_REFUSE_AFTER);
        if (refuseAfter < delayAfter) {
            throw new ConfigException(AUTH_THROTTLE_REFUSE_AFTER.path(), String.valueOf(refuseAfter),
                    "is below auth.throttle.delayAfter (" + delayAfter + ")", "at least auth.throttle.delayAfter");
        }
        Duration delay = v.get(AUTH_THROTTLE_DELAY);
        Duration maxDelay = v.get(AUTH_THROTTLE_MAX_DELAY);
        if (maxDelay.compareTo(delay) < 0) {
            throw new ConfigException(AUTH_THROTTLE_MAX_DELAY.path(), AUTH_THROTTLE_MAX_DELAY.type().render(maxDelay),
                    "is below auth.throttle.delay", "at least auth.throttle.delay");
        }
        Duration helloTimeout = v.get(SIGNALING_HELLO_TIMEOUT);
        if (maxDelay.compareTo(helloTimeout) >= 0) {
            throw new ConfigException(AUTH_THROTTLE_MAX_DELAY.path(), AUTH_THROTTLE_MAX_DELAY.type().render(maxDelay),
                    "is not below signaling.helloTimeout: a throttled client would time out instead of hearing why",
                    "below " + SIGNALING_HELLO_TIMEOUT.type().render(helloTimeout));
        }
        return new SignInThrottle.Settings(delayAfter, refuseAfter, v.get(AUTH_THROTTLE_WINDOW), delay, maxDelay,
                v.get(AUTH_THROTTLE_COOLDOWN), SignInThrottle.Settings.DEFAULT_MAX_TRACKED);
    }

    /**
     * Friend sign-in's settings, when {@code auth.friend.enabled}; the URL must be there and be https unless it
     * points at loopback, since the Friend session id travels in the request.
     */
    public static Optional<FriendSettings> friend(PresenceConfig config) throws ConfigException {
        ConfigValues v = config.values();
        if (!v.get(AUTH_FRIEND_ENABLED)) {
            return Optional.empty();
        }
        String url = v.get(AUTH_FRIEND_URL);
        if (url.isEmpty()) {
            throw new ConfigException(AUTH_FRIEND_URL.path(), "", "is empty while auth.friend.enabled is true",
                    "FriendCore's https:// address");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(AUTH_FRIEND_URL.path(), url, "is not a URL", "FriendCore's https:// address");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(AUTH_FRIEND_URL.path(), url, "has no host", "FriendCore's https:// address");
        }
        if (!FriendSettings.isAcceptableScheme(uri)) {
            throw new ConfigException(AUTH_FRIEND_URL.path(), url, "is plain http to another machine: Friend "
                    + "session ids would cross the network in clear text", "https://, or http:// to loopback only");
        }
        String ca = v.get(AUTH_FRIEND_CA_FILE);
        return Optional.of(new FriendSettings(uri, ca.isEmpty() ? null : Path.of(ca), v.get(AUTH_FRIEND_TIMEOUT),
                v.get(AUTH_FRIEND_CACHE_TTL), v.get(AUTH_FRIEND_CACHE_SIZE)));
    }

    /** The reverse proxies whose forwarding headers are believed; a bad entry is refused with its text. */
    public static TrustedProxies trustedProxies(PresenceConfig config) throws ConfigException {
        List<String> entries = config.values().get(SERVER_TRUSTED_PROXIES);
        try {
            return TrustedProxies.of(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SERVER_TRUSTED_PROXIES.path(), String.join(", ", entries), e.getMessage(),
                    "IP addresses or CIDR blocks");
        }
    }

    /** Everything that can be checked before start (key files are read at start). */
    static void check(PresenceConfig config) throws ConfigException {
        throttle(config);
        friend(config);
        trustedProxies(config);
        for (Secret key : tokenKeys(config)) {
            if (key.bytes().length < io.presence.signaling.signin.TokenKeys.MIN_SECRET_BYTES) {
                throw new ConfigException(SIGNALING_TOKEN_KEYS.path(), key.toString(), "an item has "
                        + key.bytes().length + " bytes; HS256 needs at least "
                        + io.presence.signaling.signin.TokenKeys.MIN_SECRET_BYTES, "secrets of 32 bytes or more");
            }
        }
    }

    /** A duration as the configuration writes it ({@code 30m}, {@code 1h}), for the command line. */
    public static Duration duration(String text) throws ConfigException {
        try {
            return AUTH_JWT_MAX_TTL.type().parse(text);
        } catch (ValueType.Invalid e) {
            throw new ConfigException("--ttl", text, e.getMessage(), AUTH_JWT_MAX_TTL.type().allowed());
        }
    }
}
