package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code presence doctor} against a running appliance in this process, reading the appliance's own file. */
@Timeout(60)
class DoctorCommandTest {

    @TempDir
    static Path dir;

    private static RunningAppliance appliance;

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(dir, 30);
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
    }

    private record Run(int exit, String out, String err) { }

    private static Run doctor(String... args) {
        DoctorCommand command = new DoctorCommand();
        new CommandLine(command).parseArgs(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The JSON findings by step. */
    private static Map<String, JsonNode> steps(String json) throws Exception {
        Map<String, JsonNode> steps = new HashMap<>();
        for (JsonNode f : new ObjectMapper().readTree(json).get("findings")) {
            steps.put(f.get("step").asText(), f);
        }
        return steps;
    }

    @Test
    void everyStepPassesAgainstARunningAppliance() throws Exception {
        Run run = doctor("--config", appliance.config().toString(), "--json");

        assertEquals(0, run.exit(), run.out() + run.err());
        Map<String, JsonNode> steps = steps(run.out());
        assertEquals(java.util.Set.of("publicHost", "stun/udp", "certificate", "turn/udp", "turn/tcp", "turn/tls",
                "ice"), steps.keySet(), run.out());
        steps.forEach((step, f) -> assertEquals("ok", f.get("status").asText(), step + ": " + f));
        assertTrue(new ObjectMapper().readTree(run.out()).get("passed").asBoolean());
        assertTrue(steps.get("ice").get("message").asText().contains("exchanged 3 datagrams each way"), run.out());
        assertEquals("", run.err(), "nothing but the report: ice4j's logging stays quiet");
    }

    @Test
    void aDifferentSecretFailsTheTurnStepsWithTheSecretDiagnosis() throws Exception {
        Path stale = appliance.withSecret(dir, RunningAppliance.randomSecret());

        Run run = doctor("--config", stale.toString());

        assertEquals(1, run.exit(), run.out());
        String[] lines = run.out().split("\n");
        for (String transport : new String[]{"udp", "tcp", "tls"}) {
            String line = lineOf(lines, "turn/" + transport);
            assertTrue(line.startsWith("fail"), line);
            assertTrue(line.contains("401 — the secret or realm differs from the server's"), line);
        }
        assertTrue(lineOf(lines, "stun/udp").startsWith("ok"), run.out());
        assertTrue(lineOf(lines, "ice").startsWith("skip"), run.out());
        assertTrue(lines[lines.length - 1].startsWith("summary: ") && lines[lines.length - 1].contains("3 checks failed"),
                run.out());
        assertFalse(run.out().contains("Exception"), "no stack traces: " + run.out());
    }

    @Test
    void aPortWithNothingBehindItHasNoAnswer() throws Exception {
        int dead = RunningAppliance.freePort();

        Run run = doctor("--config", appliance.config().toString(), "--port", String.valueOf(dead),
                "--tls-port", String.valueOf(dead), "--timeout", "1");

        assertEquals(1, run.exit(), run.out());
        String[] lines = run.out().split("\n");
        String stun = lineOf(lines, "stun/udp");
        assertTrue(stun.startsWith("fail") && stun.contains("127.0.0.1:" + dead + "/udp: no answer in ")
                && stun.contains("is UDP " + dead + " open in the firewall"), stun);
        assertTrue(lineOf(lines, "turn/udp").contains("no answer in "), run.out());
        assertTrue(lineOf(lines, "turn/tcp").contains("connection refused"), run.out());
        assertFalse(run.out().contains("Exception"), "no stack traces: " + run.out());
    }

    private static String lineOf(String[] lines, String step) {
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length > 1 && words[1].equals(step)) {
                return line;
            }
        }
        throw new AssertionError("no line for " + step + " in:\n" + String.join("\n", lines));
    }
}
