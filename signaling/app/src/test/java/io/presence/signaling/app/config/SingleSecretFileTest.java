package io.presence.signaling.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A single-valued secret (storage.password) read from a file: its one line; several lines are refused. */
class SingleSecretFileTest {

    @TempDir
    Path dir;

    @Test
    void theDatabasePasswordIsTheFilesOneLine() throws Exception {
        Path file = dir.resolve("storage_password");
        Files.writeString(file, "s3cret pass-word\n");
        PresenceConfig config = PresenceConfig.load(null, Map.of("PRESENCE_STORAGE_PASSWORD_FILE", file.toString(),
                "PRESENCE_SERVER_DATA_DIR", dir.resolve("data").toString()));
        assertEquals("s3cret pass-word", ModuleSettings.storage(config).password());
    }

    @Test
    void aPasswordFileOfSeveralLinesIsRefusedWithoutShowingThem() throws Exception {
        Path file = dir.resolve("storage_password");
        Files.writeString(file, "first-line\nsecond-line\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null,
                Map.of("PRESENCE_STORAGE_PASSWORD_FILE", file.toString())));
        assertTrue(e.getMessage().contains("holds 2 lines"), e.getMessage());
        assertFalse(e.getMessage().contains("first-line"), e.getMessage());
    }
}
