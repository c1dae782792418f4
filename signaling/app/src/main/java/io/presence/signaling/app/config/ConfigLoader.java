package io.presence.signaling.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the configuration: defaults from {@link ConfigSchema}, then the YAML file, then environment
 * variables, each layer overriding the one before. Unknown keys in the file are rejected; the first
 * invalid value stops the load with a {@link ConfigException}.
 */
public final class ConfigLoader {

    /** Environment variables with the prefix that are not configuration keys. */
    static final Set<String> NOT_KEYS = Set.of("PRESENCE_CONFIG", "PRESENCE_E2E", "PRESENCE_JAVA_OPTS");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<ConfigKey<?>> keys;
    private final Map<String, ConfigKey<?>> byPath = new HashMap<>();
    private final Map<String, ConfigKey<?>> byFilePath = new HashMap<>();

    public ConfigLoader() {
        this(ConfigSchema.ALL);
    }

    ConfigLoader(List<ConfigKey<?>> keys) {
        this.keys = keys;
        for (ConfigKey<?> key : keys) {
            byPath.put(key.path(), key);
            if (key.secret()) {
                byFilePath.put(key.filePath(), key);
            }
        }
    }

    /**
     * @param file the YAML file, or {@code null} for defaults and environment only
     * @param env  the environment (tests pass their own map)
     */
    public ConfigValues load(Path file, Map<String, String> env) throws ConfigException {
        Map<String, Object> fromFile = file == null ? Map.of() : readFile(file);
        Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
        Map<ConfigKey<?>, String> sources = new LinkedHashMap<>();
        Set<String> usedEnv = new TreeSet<>();
        for (ConfigKey<?> key : keys) {
            resolve(key, fromFile, env, values, sources, usedEnv);
        }
        List<String> ignored = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith(ConfigKey.ENV_PREFIX) && !usedEnv.contains(name) && !NOT_KEYS.contains(name)
                    && !isKnownEnv(name)) {
                ignored.add(name);
            }
        }
        return new ConfigValues(values, sources, ignored);
    }

    private boolean isKnownEnv(String name) {
        for (ConfigKey<?> key : keys) {
            if (key.envName().equals(name) || (key.secret() && ConfigKey.envName(key.filePath()).equals(name))) {
                return true;
            }
        }
        return false;
    }

    private <T> void resolve(ConfigKey<T> key, Map<String, Object> fromFile, Map<String, String> env,
                             Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, String> sources,
                             Set<String> usedEnv) throws ConfigException {
        Object raw = null;
        String source = "default";
        if (fromFile.containsKey(key.path())) {
            raw = fromFile.get(key.path());
            source = "config file";
        }
        if (env.containsKey(key.envName())) {
            raw = env.get(key.envName());
            source = key.envName();
            usedEnv.add(key.envName());
        }
        if (key.secret()) {
            String fileEnv = ConfigKey.envName(key.filePath());
            Object fileRaw = fromFile.get(key.filePath());
            String fileSource = "config file";
            if (env.containsKey(fileEnv)) {
                fileRaw = env.get(fileEnv);
                fileSource = fileEnv;
                usedEnv.add(fileEnv);
            }
            if (fileRaw instanceof String path && !path.isBlank()) {
                if (raw != null) {
                    throw new ConfigException(key.path(), null, "set both as a value (" + source
                            + ") and as a file (" + fileSource + ")", "one of " + key.path() + " or "
                            + key.filePath());
                }
                raw = readSecretFile(key, Path.of(path.trim()));
                source = "file " + path.trim();
            } else if (fileRaw != null && !(fileRaw instanceof String)) {
                throw new ConfigException(key.filePath(), null, "must be a single file path", "a file path");
            }
        }
        T value;
        if (raw == null) {
            value = key.defaultValue();
        } else {
            try {
                value = key.type().parse(raw);
            } catch (ValueType.Invalid e) {
                String shown = key.secret() ? "<secret from " + source + ">" : show(raw);
                throw new ConfigException(key.path(), shown, e.getMessage(), key.type().allowed());
            }
        }
        values.put(key, value);
        sources.put(key, source);
    }

    private static Object readSecretFile(ConfigKey<?> key, Path path) throws ConfigException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(key.filePath(), path.toString(), "file does not exist", "a readable file");
        } catch (IOException e) {
            throw new ConfigException(key.filePath(), path.toString(), "cannot be read ("
                    + e.getClass().getSimpleName() + ")", "a readable file");
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        if (lines.isEmpty()) {
            throw new ConfigException(key.filePath(), path.toString(), "file is empty", "a file holding the secret");
        }
        if (!(key.defaultValue() instanceof List)) {
            // A single secret (a password): the file's one line, as a Kubernetes or Docker secret file holds it.
            if (lines.size() > 1) {
                throw new ConfigException(key.filePath(), path.toString(), "holds " + lines.size() + " lines",
                        "a file holding the secret on one line");
            }
            return lines.get(0);
        }
        return lines;
    }

    private Map<String, Object> readFile(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("--config", file.toString(), "file does not exist", "a readable YAML file");
        } catch (IOException e) {
            throw new ConfigException("--config", file.toString(), "cannot be read ("
                    + e.getClass().getSimpleName() + ")", "a readable YAML file");
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException("--config", file.toString(), "not valid YAML" + where, "a YAML mapping");
        }
        Map<String, Object> flat = new HashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new ConfigException("--config", file.toString(), "the document is not a mapping",
                    "sections " + sections());
        }
        flatten("", root, flat);
        return flat;
    }

    private void flatten(String prefix, JsonNode node, Map<String, Object> out) throws ConfigException {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (byPath.containsKey(path) || byFilePath.containsKey(path)) {
                if (value.isNull()) {
                    continue; // "key:" with nothing after it keeps the default
                }
                out.put(path, leaf(path, value));
            } else if (isSection(path)) {
                if (!value.isObject()) {
                    throw new ConfigException(path, null, "is a section, not a value", "keys " + childrenOf(path));
                }
                flatten(path, value, out);
            } else {
                String parent = prefix.isEmpty() ? null : prefix;
                throw new ConfigException(path, null, "unknown key",
                        parent == null ? "sections " + sections() : "keys of " + parent + ": " + childrenOf(parent));
            }
        }
    }

    private static Object leaf(String path, JsonNode value) throws ConfigException {
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isValueNode() || item.isNull()) {
                    throw new ConfigException(path, null, "list items must be single values", "a list of values");
                }
                items.add(item.asText());
            }
            return items;
        }
        throw new ConfigException(path, null, "is a value, not a section", "a single value or a list");
    }

    private boolean isSection(String path) {
        String p = path + ".";
        return keys.stream().anyMatch(k -> k.path().startsWith(p));
    }

    private String sections() {
        Set<String> names = new TreeSet<>();
        keys.forEach(k -> names.add(k.path().substring(0, k.path().indexOf('.'))));
        return String.join(", ", names);
    }

    private String childrenOf(String section) {
        Set<String> names = new TreeSet<>();
        String p = section + ".";
        for (ConfigKey<?> k : keys) {
            if (k.path().startsWith(p)) {
                String rest = k.path().substring(p.length());
                names.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
                if (k.secret() && !rest.contains(".")) {
                    names.add(rest + "File");
                }
            }
        }
        return String.join(", ", names);
    }

    private static String show(Object raw) {
        String text = String.valueOf(raw);
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return raw instanceof String ? "\"" + text + "\"" : text;
    }
}
