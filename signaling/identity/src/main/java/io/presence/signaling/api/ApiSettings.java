package io.presence.signaling.api;

import io.presence.signaling.session.SignInThrottle;

import java.time.Duration;
import java.util.List;

/**
 * The host-platform API's configuration.
 *
 * @param keys         the API keys, each good as a bearer key and as an HMAC key; at least one
 * @param replayWindow how far a signed request's timestamp may be from the server's clock, either way; a signature
 *                     is refused a second time for as long
 * @param throttle     how failed authentication slows down and then refuses its source
 */
public record ApiSettings(List<String> keys, Duration replayWindow, SignInThrottle.Settings throttle) {
    public static final Duration DEFAULT_REPLAY_WINDOW = Duration.ofMinutes(5);

    public ApiSettings {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the API needs at least one key");
        }
        if (replayWindow.isNegative() || replayWindow.isZero()) {
            throw new IllegalArgumentException("the replay window must be positive");
        }
    }
}
