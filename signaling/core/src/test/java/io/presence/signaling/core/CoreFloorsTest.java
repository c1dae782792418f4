package io.presence.signaling.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's package floors (README): each package imports only from the floors below it, and nothing in the core
 * imports a transport, Netty or JDBC; of the network base only the token bucket every rate limit shares. Read from the
 * sources' import lines, fully qualified names included.
 */
class CoreFloorsTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "io", "presence", "signaling");
    /** Floor of each package: a package may use those on a lower floor. */
    private static final Map<String, Integer> FLOORS = Map.of(
            "protocol", 0,
            "runtime", 1, "storage", 1, "identity", 1, "live", 1, "http", 1,
            "room", 2, "invite", 3,
            "session", 4,
            "core", 5);
    private static final Pattern SIGNALING = Pattern.compile("\\bio\\.presence\\.signaling\\.([a-z]+)\\.");
    private static final List<String> FORBIDDEN = List.of("io.netty.", "java.sql.", "javax.sql.",
            "io.presence.signaling.transport.", "io.presence.signaling.app.", "io.presence.signaling.client.",
            "io.presence.net.", "io.presence.turn.", "io.presence.stun.");
    private static final String TOKEN_BUCKET = "io.presence.net.TokenBucket";

    @Test
    void everyPackageUsesOnlyTheFloorsBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                String pkg = SOURCES.relativize(f).getName(0).toString();
                Integer floor = FLOORS.get(pkg);
                assertTrue(floor != null, "package " + pkg + " has a floor in this test and the README");
                String source = Files.readString(f);
                Matcher m = SIGNALING.matcher(source);
                while (m.find()) {
                    String used = m.group(1);
                    Integer usedFloor = FLOORS.get(used);
                    if (!used.equals(pkg) && (usedFloor == null || usedFloor >= floor)) {
                        violations.add(f.getFileName() + " (" + pkg + ") uses " + used);
                    }
                }
                String withoutTheBucket = source.replace(TOKEN_BUCKET, "");
                for (String forbidden : FORBIDDEN) {
                    if (withoutTheBucket.contains(forbidden)) {
                        violations.add(f.getFileName() + " uses " + forbidden);
                    }
                }
            }
        }
        assertTrue(files > 50, "read the sources: " + files);
        assertEquals(List.of(), violations);
    }
}
