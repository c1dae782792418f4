package io.presence.signaling.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A .dockerignore's rules as Docker applies them to a build context: lines in order, the last matching one wins,
 * {@code !} lets a path back in, a pattern matching a directory matches everything beneath it, {@code *} and
 * {@code ?} stay within one path element and {@code **} spans any number.
 */
final class DockerIgnore {

    private record Rule(Pattern pattern, boolean include) {
    }

    private final List<Rule> rules = new ArrayList<>();

    DockerIgnore(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String p = line.trim();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            boolean include = p.startsWith("!");
            p = include ? p.substring(1).trim() : p;
            p = p.replaceAll("^/+", "").replaceAll("/+$", "");
            rules.add(new Rule(Pattern.compile(glob(p)), include));
        }
    }

    /** {@code path}: relative to the context, '/'-separated. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesOrParentMatches(rule.pattern(), path)) {
                excluded = !rule.include();
            }
        }
        return excluded;
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String path) {
        String[] parts = path.split("/");
        StringBuilder prefix = new StringBuilder();
        for (String part : parts) {
            if (prefix.length() > 0) {
                prefix.append('/');
            }
            prefix.append(part);
            if (pattern.matcher(prefix).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String glob(String p) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                boolean slash = i + 2 < p.length() && p.charAt(i + 2) == '/';
                re.append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
