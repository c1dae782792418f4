package io.presence.signaling.app.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** presence.example.yaml at the repository root documents every key, with its real default and bounds. */
class ExampleConfigTest {

    static final Path EXAMPLE = Path.of("..", "..", "presence.example.yaml");

    @Test
    void exampleLoadsToExactlyTheDefaults() throws Exception {
        ConfigValues example = new ConfigLoader().load(EXAMPLE, Map.of());
        ConfigValues defaults = new ConfigLoader().load(null, Map.of());
        for (ConfigKey<?> key : ConfigSchema.ALL) {
            assertEquals(defaults.get(key), example.get(key), key.path() + " differs from its default");
        }
    }

    @Test
    void exampleIsTheRenderedSchema() throws Exception {
        assertEquals(ExampleConfig.render(), Files.readString(EXAMPLE),
                "presence.example.yaml is stale: regenerate it with `./presence example-config`");
    }

    @Test
    void everyKeyIsDocumentedWithItsBounds() throws Exception {
        String text = Files.readString(EXAMPLE);
        for (ConfigKey<?> key : ConfigSchema.ALL) {
            String leaf = key.path().substring(key.path().lastIndexOf('.') + 1);
            assertTrue(text.contains("  " + leaf + ": "), key.path() + " is missing from presence.example.yaml");
            assertTrue(text.contains(key.type().allowed()), key.path() + ": the allowed range '"
                    + key.type().allowed() + "' is not documented");
            assertTrue(text.contains(key.envName()), key.path() + ": its variable " + key.envName()
                    + " is not documented");
        }
    }
}
