package io.presence.signaling.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resolved value of every key and where it came from. Immutable.
 */
public final class ConfigValues {

    private final Map<ConfigKey<?>, Object> values;
    private final Map<ConfigKey<?>, String> sources;
    private final List<String> ignoredEnvironment;

    ConfigValues(Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, String> sources, List<String> ignored) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        this.ignoredEnvironment = List.copyOf(ignored);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("not a loaded key: " + key.path());
        }
        return (T) values.get(key);
    }

    /** "default", "config file", an environment variable's name or "file &lt;path&gt;". */
    public String source(ConfigKey<?> key) {
        return sources.get(key);
    }

    /** The items of a secret list key, each wrapped so it cannot be printed. */
    public List<Secret> secrets(ConfigKey<List<String>> key) {
        if (!key.secret()) {
            throw new IllegalArgumentException(key.path() + " is not a secret");
        }
        List<Secret> out = new ArrayList<>();
        for (String s : get(key)) {
            out.add(new Secret(s, source(key)));
        }
        return List.copyOf(out);
    }

    /** Variables named like configuration keys that match none (a typo, or a platform's own variables). */
    public List<String> ignoredEnvironment() {
        return ignoredEnvironment;
    }

    /** Each key as {@code path = value  (source)}, secrets shown only as set or not. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (ConfigKey<?> key : ConfigSchema.ALL) {
            if (!values.containsKey(key)) {
                continue;
            }
            lines.add(key.path() + " = " + render(key) + "  (" + sources.get(key) + ")");
        }
        return lines;
    }

    private <T> String render(ConfigKey<T> key) {
        T value = get(key);
        if (key.secret()) {
            return value instanceof List<?> l && l.isEmpty() ? "<not set>" : "<secret>";
        }
        return key.type().render(value);
    }
}
