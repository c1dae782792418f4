package io.presence.signaling.app.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * No key for a feature that is not built: every key of the schema is read by the appliance's code, and every
 * section field of {@link PresenceConfig} is used by it. A key that only the loader and the example file know fails
 * here.
 */
class ConfigKeysReadTest {

    private static final Path MAIN = Path.of("src", "main", "java");

    @Test
    void everyKeyIsReadOutsideTheSchema() throws Exception {
        String code = sourcesExcept("ConfigSchema.java");
        List<String> unread = new ArrayList<>();
        for (Field f : ConfigSchema.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigKey.class
                    && !Pattern.compile("\\b" + f.getName() + "\\b").matcher(code).find()) {
                unread.add(((ConfigKey<?>) f.get(null)).path());
            }
        }
        assertEquals(List.of(), unread, "keys nothing reads");
    }

    @Test
    void everySectionFieldIsUsed() throws Exception {
        String code = sourcesExcept("PresenceConfig.java");
        List<String> unused = new ArrayList<>();
        for (Class<?> section : PresenceConfig.class.getDeclaredClasses()) {
            if (!section.isRecord()) {
                continue;
            }
            for (RecordComponent c : section.getRecordComponents()) {
                if (!code.contains("." + c.getName() + "()")) {
                    unused.add(section.getSimpleName() + "." + c.getName());
                }
            }
        }
        assertEquals(List.of(), unused, "configuration fields nothing uses");
    }

    private static String sourcesExcept(String fileName) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (!p.getFileName().toString().equals(fileName)) {
                    all.append(Files.readString(p)).append('\n');
                }
            }
        }
        assertFalse(all.isEmpty(), "no sources under " + MAIN.toAbsolutePath());
        return all.toString();
    }
}
