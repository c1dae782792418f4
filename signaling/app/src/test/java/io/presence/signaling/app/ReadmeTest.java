package io.presence.signaling.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README as a newcomer follows it: its test command is what CI runs, and every path it names exists here. */
class ReadmeTest {

    static final Path REPO = Path.of("..", "..");
    static final Path README = REPO.resolve("README.md");

    @Test
    void theTestCommandIsWhatCiRuns() throws Exception {
        String readme = Files.readString(README);
        Matcher block = Pattern.compile("(?s)Run the whole test suite.*?```sh\\n([^\\n]+)\\n```").matcher(readme);
        assertTrue(block.find(), "the README's test command block");
        List<String> ci = Files.readAllLines(REPO.resolve(".ci").resolve("run")).stream()
                .filter(l -> !l.isBlank()).toList();
        assertEquals(ci.get(ci.size() - 1), block.group(1), "the last line of .ci/run");
        assertTrue(block.group(1).contains("PRESENCE_E2E=required"), "no end-to-end suite skipped silently");
    }

    @Test
    void everyLinkedPathIsInTheRepository() throws Exception {
        String readme = Files.readString(README);
        List<String> missing = new ArrayList<>();
        Matcher link = Pattern.compile("\\]\\(([^)#\\s]+)").matcher(readme);
        while (link.find()) {
            String target = link.group(1);
            if (!target.matches("[a-z]+:.*") && !Files.exists(REPO.resolve(target))) {
                missing.add(target);
            }
        }
        assertEquals(List.of(), missing, "links to files that are not in the repository");
        assertTrue(!readme.contains("../"), "a path outside the repository");
    }
}
