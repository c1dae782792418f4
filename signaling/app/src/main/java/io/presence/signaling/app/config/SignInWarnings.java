package io.presence.signaling.app.config;

import io.presence.signaling.identity.DevAuthWarning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.presence.signaling.app.config.ConfigSchema.AUTH_FRIEND_ENABLED;
import static io.presence.signaling.app.config.ConfigSchema.AUTH_FRIEND_URL;
import static io.presence.signaling.app.config.ConfigSchema.AUTH_JWT_ENABLED;
import static io.presence.signaling.app.config.ConfigSchema.SIGNALING_DEV_AUTH;

/**
 * What {@code check-config} and the start output say about sign-in that is valid but probably not meant: nobody able
 * to sign in, everybody able to sign in as anyone, a FriendCore reached without TLS. Soft findings only; impossible
 * values are {@link SignInConfig}'s {@link ConfigException}s.
 */
public final class SignInWarnings {

    private SignInWarnings() {
    }

    public static List<String> lines(PresenceConfig config) {
        ConfigValues v = config.values();
        boolean jwt = v.get(AUTH_JWT_ENABLED);
        boolean friend = v.get(AUTH_FRIEND_ENABLED);
        boolean dev = v.get(SIGNALING_DEV_AUTH);
        List<String> lines = new ArrayList<>();
        if (!jwt && !friend && !dev) {
            lines.add("no sign-in provider is enabled (auth.jwt.enabled, auth.friend.enabled and signaling.devAuth "
                    + "are all false): nobody can sign in");
        } else if (!jwt && !friend) {
            lines.add("the development provider is the only sign-in provider: every session is whoever it claims "
                    + "to be");
        }
        if (dev) {
            lines.add(DevAuthWarning.line(config.signaling().host()));
        }
        if (friend && v.get(AUTH_FRIEND_URL).toLowerCase(Locale.ROOT).startsWith("http://")) {
            lines.add("auth.friend.url is plain http: Friend session ids are sent without TLS, acceptable only "
                    + "because FriendCore is on this machine");
        }
        return lines;
    }
}
