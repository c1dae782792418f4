package io.presence.signaling.jdbc;

import java.io.File;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The versions of the migration scripts on the class path, in order: what a database from empty ends at. */
final class MigrationScripts {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    private MigrationScripts() {
    }

    static List<Integer> versions() {
        try {
            File dir = new File(Objects.requireNonNull(MigrationScripts.class.getClassLoader()
                    .getResource("db/migration"), "db/migration on the class path").toURI());
            return Arrays.stream(Objects.requireNonNull(dir.list()))
                    .map(VERSIONED::matcher)
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .sorted()
                    .toList();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
