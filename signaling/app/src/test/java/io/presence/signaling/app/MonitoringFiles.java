package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The dashboards and alert rules of metrics/monitoring, read for tests. */
final class MonitoringFiles {

    static final Path ROOT = Path.of("..", "..", "metrics", "monitoring");
    static final Path DASHBOARDS = ROOT.resolve("grafana").resolve("dashboards");
    static final Path RULES = ROOT.resolve("prometheus").resolve("presence-alerts.yaml");
    static final Path RULE_TESTS = ROOT.resolve("prometheus").resolve("presence-alerts.test.yaml");

    /** What a panel query means to Grafana, as fixed values Prometheus can evaluate. */
    static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval", "1m",
            "$__interval", "15s",
            "$__range", "1h",
            "$instance", ".*");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:presence|turn|stun|jvm|process|system|netty|hikaricp)_[a-z0-9_]+)\\b");

    private MonitoringFiles() {
    }

    record Target(String dashboard, String panel, String refId, String expr) {
        String evaluable() {
            String e = expr;
            for (Map.Entry<String, String> v : GRAFANA_VARIABLES.entrySet()) {
                e = e.replace(v.getKey(), v.getValue());
            }
            return e;
        }

        @Override
        public String toString() {
            return dashboard + " / " + panel + " / " + refId + ": " + expr;
        }
    }

    record Alert(String name, String expr) {
    }

    static Map<Path, JsonNode> dashboards() throws IOException {
        Map<Path, JsonNode> boards = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                boards.put(f, JSON.readTree(f.toFile()));
            }
        }
        return boards;
    }

    static List<Target> targets() throws IOException {
        List<Target> all = new ArrayList<>();
        for (JsonNode board : dashboards().values()) {
            for (JsonNode panel : board.path("panels")) {
                for (JsonNode t : panel.path("targets")) {
                    all.add(new Target(board.path("title").asText(), panel.path("title").asText(),
                            t.path("refId").asText(), t.path("expr").asText()));
                }
            }
        }
        return all;
    }

    static JsonNode rules() throws IOException {
        return YAML.readTree(RULES.toFile());
    }

    static JsonNode ruleTests() throws IOException {
        return YAML.readTree(RULE_TESTS.toFile());
    }

    static List<Alert> alerts() throws IOException {
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode group : rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.add(new Alert(rule.path("alert").asText(), rule.path("expr").asText()));
            }
        }
        return alerts;
    }

    /** The sample names (families with their _bucket/_sum/_count suffixes) an expression reads. */
    static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
