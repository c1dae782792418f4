package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboards have the structure Grafana's schema needs and the alert rules pass promtool: `check
 * rules`, and `test rules`, whose cases make every alert fire on one instance and stay quiet on another.
 */
class MonitoringFilesTest {

    private static final Set<String> GRAFANA_BUILTINS = Set.of("__rate_interval", "__interval", "__range");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");
    private static final Pattern INSTANCE = Pattern.compile("instance=\"([^\"]+)\"");

    @Test
    void dashboardsHaveTheStructureGrafanaLoads() throws Exception {
        Map<Path, JsonNode> boards = MonitoringFiles.dashboards();
        assertEquals(Set.of("presence-overview.json", "presence-turn.json", "presence-calls.json", "presence-jvm.json",
                        "presence-storage.json", "presence-signin.json"),
                boards.keySet().stream().map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (Map.Entry<Path, JsonNode> e : boards.entrySet()) {
            String file = e.getKey().getFileName().toString();
            JsonNode board = e.getValue();
            String uid = board.path("uid").asText();
            assertTrue(uid.matches("[a-z0-9-]{1,40}"), file + ": uid " + uid);
            assertTrue(uids.add(uid), file + ": uid not unique");
            assertTrue(titles.add(board.path("title").asText()) && !board.path("title").asText().isBlank(), file);
            assertTrue(board.path("schemaVersion").isInt() && board.path("schemaVersion").asInt() >= 36,
                    file + ": schemaVersion");
            assertFalse(board.has("id") && !board.path("id").isNull(), file + ": a provisioned dashboard has no id");

            Set<String> variables = new HashSet<>();
            boolean datasourceVariable = false;
            for (JsonNode v : board.path("templating").path("list")) {
                variables.add(v.path("name").asText());
                datasourceVariable |= "datasource".equals(v.path("name").asText())
                        && "datasource".equals(v.path("type").asText()) && "prometheus".equals(v.path("query").asText());
            }
            assertTrue(datasourceVariable, file + ": a datasource variable of type prometheus");

            JsonNode panels = board.path("panels");
            assertTrue(panels.isArray() && panels.size() > 0, file);
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            int queries = 0;
            for (JsonNode panel : panels) {
                String where = file + " / " + panel.path("title").asText();
                assertTrue(panel.path("id").isInt() && ids.add(panel.path("id").asInt()), where + ": id");
                assertFalse(panel.path("title").asText().isBlank(), where);
                JsonNode g = panel.path("gridPos");
                for (String f : List.of("x", "y", "w", "h")) {
                    assertTrue(g.path(f).isInt() && g.path(f).asInt() >= 0, where + ": gridPos." + f);
                }
                int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
                assertTrue(box[2] >= 1 && box[0] + box[2] <= 24 && box[3] >= 1, where + ": within 24 columns");
                for (int[] other : boxes) {
                    boolean apart = box[0] + box[2] <= other[0] || other[0] + other[2] <= box[0]
                            || box[1] + box[3] <= other[1] || other[1] + other[3] <= box[1];
                    assertTrue(apart, where + ": overlaps another panel");
                }
                boxes.add(box);
                if ("row".equals(panel.path("type").asText())) {
                    continue;
                }
                assertTrue(Set.of("timeseries", "stat", "gauge", "bargauge", "table").contains(panel.path("type").asText()),
                        where + ": type");
                assertEquals("prometheus", panel.path("datasource").path("type").asText(), where);
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), where);
                JsonNode targets = panel.path("targets");
                assertTrue(targets.isArray() && targets.size() > 0, where + ": targets");
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : targets) {
                    assertTrue(refIds.add(t.path("refId").asText()) && !t.path("refId").asText().isBlank(), where);
                    assertEquals("${datasource}", t.path("datasource").path("uid").asText(), where);
                    String expr = t.path("expr").asText();
                    assertFalse(expr.isBlank(), where + ": expr");
                    Matcher m = VARIABLE.matcher(expr);
                    while (m.find()) {
                        assertTrue(variables.contains(m.group(1)) || GRAFANA_BUILTINS.contains(m.group(1)),
                                where + ": undefined variable $" + m.group(1));
                    }
                    queries++;
                }
            }
            assertTrue(queries > 0, file);
        }
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        String out = run(ExternalTools.require("promtool"), MonitoringFiles.RULES.getParent(), "check", "rules",
                MonitoringFiles.RULES.getFileName().toString());
        assertTrue(out.contains("SUCCESS: " + MonitoringFiles.alerts().size() + " rules found"), out);
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        String out = run(ExternalTools.require("promtool"), MonitoringFiles.RULES.getParent(), "test", "rules",
                MonitoringFiles.RULE_TESTS.getFileName().toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    /**
     * promtool compares the full list of firing alerts, so a case expecting one instance also proves every other
     * instance of its input quiet. Each alert needs such a case: one instance firing, another in the input not.
     */
    @Test
    void everyAlertHasAUnitTestThatFiresItAndOneInstanceThatStaysQuiet() throws Exception {
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : MonitoringFiles.ruleTests().path("tests")) {
            Set<String> instances = new TreeSet<>();
            for (JsonNode s : test.path("input_series")) {
                Matcher m = INSTANCE.matcher(s.path("series").asText());
                if (m.find()) {
                    instances.add(m.group(1));
                }
            }
            for (JsonNode check : test.path("alert_rule_test")) {
                Set<String> fired = new TreeSet<>();
                for (JsonNode a : check.path("exp_alerts")) {
                    fired.add(a.path("exp_labels").path("instance").asText());
                }
                String name = check.path("alertname").asText();
                if (!fired.isEmpty()) {
                    firing.add(name);
                }
                if (!fired.containsAll(instances)) {
                    quiet.add(name);
                }
            }
        }
        Set<String> alerts = new TreeSet<>();
        for (MonitoringFiles.Alert a : MonitoringFiles.alerts()) {
            alerts.add(a.name());
        }
        assertEquals(alerts, firing, "alerts a unit test makes fire");
        assertEquals(alerts, quiet, "alerts a unit test shows quiet for some instance");
    }

    @Test
    void everyAlertHasASeverityAndWordsForThePersonPaged() throws Exception {
        for (JsonNode group : MonitoringFiles.rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                assertTrue(name.matches("[A-Z][A-Za-z0-9]+"), name);
                assertTrue(Set.of("warning", "critical").contains(rule.path("labels").path("severity").asText()), name);
                assertFalse(rule.path("annotations").path("summary").asText().isBlank(), name);
                assertFalse(rule.path("annotations").path("description").asText().isBlank(), name);
            }
        }
    }

    private static String run(Path tool, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
