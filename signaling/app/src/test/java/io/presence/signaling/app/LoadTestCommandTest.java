package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code presence loadtest} as a person runs it against an appliance: progress, one report, clear failures. */
class LoadTestCommandTest {

    @TempDir
    Path dir;

    private Appliance appliance(boolean devAuth) throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_SIGNALING_DEV_AUTH", String.valueOf(devAuth));
        Appliance a = new Appliance(PresenceConfig.load(null, env), new PrintStream(OutputStream.nullOutputStream()));
        a.start();
        return a;
    }

    private PresenceCli.Run loadtest(Appliance a, String... more) throws Exception {
        String[] args = new String[]{"loadtest", "--transport", "ws", "--port",
                String.valueOf(a.webSocketAddress().getPort()), "-n", "6", "-r", "2", "--rate", "30", "-d", "3",
                "--progress-every", "1"};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return new PresenceCli(dir).run(Map.of(), all);
    }

    @Test
    void aRunPrintsProgressOnStderrAndOneReportOnStdout() throws Exception {
        try (Appliance a = appliance(true)) {
            PresenceCli.Run text = loadtest(a);
            assertEquals(0, text.exit(), text.toString());
            assertEquals(1, text.stdout().split("sessions opened", -1).length - 1, "one report\n" + text);
            assertFalse(text.stderr().contains("sessions opened"), "the report is not repeated in the log\n" + text);
            assertTrue(text.stdout().contains("errors               0\n"), text.toString());
            assertTrue(text.stderr().lines().filter(l -> l.startsWith("loadtest: ") && l.contains(" sending "))
                    .count() >= 2, "periodic progress lines while sending\n" + text);
            assertTrue(text.stderr().lines().anyMatch(l -> l.startsWith("loadtest: ") && l.contains(" connecting ")),
                    text.toString());

            PresenceCli.Run json = loadtest(a, "--json");
            assertEquals(0, json.exit(), json.toString());
            JsonNode report = new ObjectMapper().readTree(json.stdout());
            assertEquals(6, report.path("sessionsOpened").asInt(), json.toString());
            assertTrue(report.path("sent").asLong() > 30, json.toString());
            assertTrue(report.path("errorsByCode").isObject(), json.toString());
            assertEquals(0, report.path("errors").asLong(), json.toString());
        }
    }

    @Test
    void anAuthenticationFailureIsOneLineAndExitOne() throws Exception {
        try (Appliance a = appliance(false)) {
            PresenceCli.Run run = loadtest(a);
            assertEquals(1, run.exit(), run.toString());
            assertEquals("", run.stdout(), run.toString());
            String failure = run.stderr().lines().filter(l -> !l.startsWith("loadtest: ") || !l.contains(" | "))
                    .reduce((x, y) -> x + "\n" + y).orElse("");
            assertTrue(failure.startsWith("loadtest: authentication failed at "), run.toString());
            assertFalse(failure.contains("\n"), "one line besides progress\n" + run);
            assertTrue(failure.contains("signaling.devAuth: true"), run.toString());
            assertFalse(run.all().contains("Exception"), run.toString());
            assertFalse(run.all().contains("at io."), run.toString());
        }
    }

    @Test
    void fewerConnectionsThanTheDefaultRoomCountNeedNoRoomsOption() throws Exception {
        try (Appliance a = appliance(true)) {
            PresenceCli.Run run = new PresenceCli(dir).run(Map.of(), "loadtest", "--transport", "ws", "--port",
                    String.valueOf(a.webSocketAddress().getPort()), "-n", "4", "--rate", "10", "-d", "1", "--json");
            assertEquals(0, run.exit(), run.toString());
            assertEquals(4, new ObjectMapper().readTree(run.stdout()).path("sessionsOpened").asInt(), run.toString());
        }
    }
}
