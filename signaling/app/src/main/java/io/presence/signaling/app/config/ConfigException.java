package io.presence.signaling.app.config;

/**
 * A configuration the appliance refuses to start with. {@link #getMessage()} is the one line an operator
 * reads: the key, the offending value (never a secret's), the problem and what is allowed.
 */
public final class ConfigException extends Exception {

    private final String key;

    public ConfigException(String key, String shownValue, String problem, String allowed) {
        super(format(key, shownValue, problem, allowed));
        this.key = key;
    }

    public String key() {
        return key;
    }

    private static String format(String key, String shownValue, String problem, String allowed) {
        StringBuilder line = new StringBuilder("invalid configuration: ").append(key);
        if (shownValue != null) {
            line.append(" = ").append(shownValue);
        }
        line.append(": ").append(problem);
        if (allowed != null && !allowed.isEmpty()) {
            line.append(" (allowed: ").append(allowed).append(')');
        }
        return line.toString();
    }
}
