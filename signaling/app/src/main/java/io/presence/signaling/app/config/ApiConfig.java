package io.presence.signaling.app.config;

import io.presence.signaling.api.ApiSettings;

import java.util.List;
import java.util.Optional;

import static io.presence.signaling.app.config.ConfigSchema.API_ENABLED;
import static io.presence.signaling.app.config.ConfigSchema.API_KEYS;
import static io.presence.signaling.app.config.ConfigSchema.API_REPLAY_WINDOW;

/** The {@code api.*} keys as the host-platform API's settings. */
public final class ApiConfig {

    private ApiConfig() {
    }

    /**
     * The API's settings, or empty when {@code api.enabled} is false. Enabled without keys, or with a key an
     * attacker could guess, is a configuration error: the API creates rooms and mints sign-in tokens.
     */
    public static Optional<ApiSettings> settings(PresenceConfig config) throws ConfigException {
        ConfigValues v = config.values();
        if (!v.get(API_ENABLED)) {
            return Optional.empty();
        }
        List<Secret> keys = v.secrets(API_KEYS);
        if (keys.isEmpty()) {
            throw new ConfigException(API_KEYS.path(), "[]", "missing: api.enabled is true",
                    "at least one key (" + SecretStrength.ALLOWED + ")");
        }
        for (int i = 0; i < keys.size(); i++) {
            Optional<String> weakness = SecretStrength.weakness(keys.get(i).reveal());
            if (weakness.isPresent()) {
                throw new ConfigException(API_KEYS.path(), keys.get(i).toString(), "item " + (i + 1) + " is weak: "
                        + weakness.get(), SecretStrength.ALLOWED);
            }
        }
        return Optional.of(new ApiSettings(keys.stream().map(Secret::reveal).toList(), v.get(API_REPLAY_WINDOW),
                SignInConfig.throttle(config)));
    }
}
