package io.presence.signaling.app.config;

import java.util.Locale;

/**
 * One configuration key: its dotted path in the YAML tree, how its value is read and bounded, its default
 * and one line of documentation. The environment variable that overrides it is derived from the path, so
 * there is nothing to keep in sync: {@code turn.secretsFile} is {@code PRESENCE_TURN_SECRETS_FILE}.
 *
 * <p>A secret key also accepts {@code <path>File}, naming a file that holds the value (one item per line
 * for lists), and its value is never rendered.
 */
public record ConfigKey<T>(String path, ValueType<T> type, T defaultValue, String description, boolean secret) {

    public static final String ENV_PREFIX = "PRESENCE_";

    public String envName() {
        return envName(path);
    }

    /** The companion key naming a file that holds this secret. */
    public String filePath() {
        return path + "File";
    }

    /** {@code a.bC.d} → {@code PRESENCE_A_B_C_D}. */
    public static String envName(String path) {
        StringBuilder b = new StringBuilder(ENV_PREFIX);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '.') {
                b.append('_');
            } else if (Character.isUpperCase(c)) {
                b.append('_').append(c);
            } else {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }

    public String renderDefault() {
        return type.render(defaultValue);
    }
}
