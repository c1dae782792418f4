package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code presence loadtest --persistent} against an appliance on its embedded database: every room is named first,
 * so each acknowledged message went through the group commit ({@code storage.groupCommit} on and off); more errors
 * than {@code --max-errors} fail the run after its report. Functional, not timed.
 */
class LoadTestPersistentCommandTest {

    @TempDir
    Path dir;

    private Appliance appliance(Map<String, String> more) throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        env.putAll(more);
        Appliance a = new Appliance(PresenceConfig.load(null, env), new PrintStream(OutputStream.nullOutputStream()));
        a.start();
        return a;
    }

    private PresenceCli.Run loadtest(Appliance a, String... more) throws Exception {
        String[] args = new String[]{"loadtest", "--transport", "ws", "--port",
                String.valueOf(a.webSocketAddress().getPort()), "-n", "6", "-r", "3", "--rate", "60", "-d", "2", "--json"};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return new PresenceCli(dir).run(Map.of(), all);
    }

    /** Messages written by the group commit so far, and its transactions. */
    private static long[] written(Appliance a) {
        HistogramSnapshot s = a.metrics().registry().get("presence.storage.write.batch.size").summary()
                .takeSnapshot();
        return new long[]{(long) s.total(), s.count()};
    }

    @Test
    void everyAcknowledgedMessageOfAPersistentRunIsCommittedAndTheReportHasAckFigures() throws Exception {
        try (Appliance a = appliance(Map.of())) {
            PresenceCli.Run run = loadtest(a, "--persistent", "--window", "4");
            assertEquals(0, run.exit(), run.toString());
            JsonNode report = new ObjectMapper().readTree(run.stdout());
            long acked = report.path("acked").asLong();
            assertTrue(acked > 60, run.toString());
            assertEquals(report.path("sent").asLong(), acked, run.toString());
            assertEquals(0, report.path("errors").asLong(), run.toString());
            assertTrue(report.path("ackP50Micros").asLong() > 0, run.toString());
            assertTrue(report.path("ackP99Micros").asLong() >= report.path("ackP50Micros").asLong(), run.toString());
            assertTrue(report.path("ackedPerSecond").asDouble() > 0, run.toString());
            assertEquals(acked, written(a)[0], "every ack is a committed row");

            PresenceCli.Run ephemeral = loadtest(a);
            assertEquals(0, ephemeral.exit(), ephemeral.toString());
            assertEquals(acked, written(a)[0], "without --persistent the rooms stay in memory");
        }
    }

    @Test
    void withoutGroupCommitEachMessageIsOneTransaction() throws Exception {
        try (Appliance a = appliance(Map.of("PRESENCE_STORAGE_GROUP_COMMIT", "false"))) {
            PresenceCli.Run run = loadtest(a, "--persistent");
            assertEquals(0, run.exit(), run.toString());
            long acked = new ObjectMapper().readTree(run.stdout()).path("acked").asLong();
            assertTrue(acked > 60, run.toString());
            assertEquals(acked, written(a)[0]);
            assertEquals(acked, written(a)[1], "one transaction per message");
        }
    }

    @Test
    void moreErrorsThanAllowedFailTheRunAfterItsReport() throws Exception {
        // A message rate limit far below the offered rate: refused messages are errors.
        try (Appliance a = appliance(Map.of("PRESENCE_SIGNALING_MESSAGES_PER_SECOND", "2",
                "PRESENCE_SIGNALING_MESSAGE_BURST", "10", "PRESENCE_SIGNALING_RATE_LIMIT_CLOSE_AFTER", "10m"))) {
            PresenceCli.Run strict = loadtest(a, "--persistent");
            assertEquals(1, strict.exit(), strict.toString());
            long errors = new ObjectMapper().readTree(strict.stdout()).path("errors").asLong();
            assertTrue(errors > 0, strict.toString());
            assertTrue(strict.stderr().contains("more than the 0 allowed (--max-errors)"), strict.toString());

            PresenceCli.Run lenient = loadtest(a, "--persistent", "--max-errors", "1000000");
            assertEquals(0, lenient.exit(), lenient.toString());
        }
    }
}
