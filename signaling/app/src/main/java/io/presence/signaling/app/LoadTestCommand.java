package io.presence.signaling.app;

import io.presence.signaling.client.ClientOptions;
import io.presence.signaling.loadtest.FanoutProbe;
import io.presence.signaling.loadtest.IdleSessions;
import io.presence.signaling.loadtest.LoadTest;
import io.presence.signaling.loadtest.LoadTestFailure;
import io.presence.signaling.loadtest.LoadTestOptions;
import io.presence.signaling.loadtest.LoadTestReport;
import io.presence.signaling.loadtest.ProgressPrinter;
import io.presence.signaling.loadtest.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code presence loadtest}: drives a running appliance with many sessions, in the spirit of LiveKit's
 * {@code lk load-test}. The target needs {@code signaling.devAuth} (the generator logs in with display names).
 * The report, and nothing else, goes to stdout (text, or JSON with {@code --json}); progress and log lines go to
 * stderr.
 */
@Command(name = "loadtest", description = "Load a running Presence server: N sessions in R rooms sending chat at a "
        + "rate, optionally dropping and resuming every connection; reports connect rate, delivery latency "
        + "percentiles, delivered/lost/duplicated and resume success. Refuses non-loopback targets unless "
        + "--allow-remote.")
final class LoadTestCommand implements Callable<Integer> {

    @Option(names = "--transport", defaultValue = "tcp", description = "ws or tcp (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", description = "Server port (default: 8082 for tcp, 8080 for ws).")
    Integer port;

    @Option(names = "--ws-path", defaultValue = "/ws", description = "WebSocket path (default: ${DEFAULT-VALUE}).")
    String wsPath;

    @Option(names = {"-n", "--connections"}, defaultValue = "100", description = "Sessions, one connection each.")
    int connections;

    @Option(names = {"-r", "--rooms"}, description = "Rooms; connection i joins room i mod R (default: 10, at most "
            + "the number of connections).")
    Integer rooms;

    @Option(names = "--rate", defaultValue = "100", description = "Chat messages per second offered in total.")
    double rate;

    @Option(names = "--senders", defaultValue = "1.0", description = "Fraction of connections that send (0..1].")
    double senders;

    @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "Seconds of sending.")
    int durationSeconds;

    @Option(names = "--drop-and-resume", description = "Drop every connection halfway, then resume them all.")
    boolean dropAndResume;

    @Option(names = "--parallel", defaultValue = "8", description = "Connects/resumes in flight at once.")
    int parallel;

    @Option(names = "--allow-remote", description = "Allow a target that is not a loopback address.")
    boolean allowRemote;

    @Option(names = "--idle", description = "Idle mode (memory benchmark): open the sessions, put them in rooms of "
            + "--members-per-room, print READY, hold them for --hold seconds without traffic, then close. "
            + "--rooms/--rate/--duration/--drop-and-resume are ignored.")
    boolean idle;

    @Option(names = "--fanout-probe", description = "Lean fan-out mode (raw TCP only): --connections members in ONE "
            + "room, --rate chat messages/s over them for --duration s after --warmup s; frames are scanned, not "
            + "decoded, so the generator costs less than the server. Reports delivered/lost/duplicated and latency.")
    boolean fanoutProbe;

    @Option(names = "--warmup", defaultValue = "3", description = "Fan-out probe: seconds of load before measuring "
            + "(default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--members-per-room", defaultValue = "10", description = "Idle mode: sessions per room "
            + "(default: ${DEFAULT-VALUE}).")
    int membersPerRoom;

    @Option(names = "--hold", defaultValue = "60", description = "Idle mode: seconds to hold the sessions "
            + "(default: ${DEFAULT-VALUE}).")
    int holdSeconds;

    @Option(names = "--persistent", description = "Persistent rooms (storage benchmark): each room's creator names it "
            + "(room.name) before sending, so every chat message is committed to the target's database before its "
            + "ack; reports acknowledged msg/s and ack latency; a message never acknowledged counts as an error "
            + "(unacked).")
    boolean persistent;

    @Option(names = "--window", defaultValue = "0", description = "Messages one sender may have unacknowledged at "
            + "once; 0 = no bound (default: ${DEFAULT-VALUE}). With --rate above what the server sustains, a "
            + "window makes the run measure its capacity.")
    int window;

    @Option(names = "--hold-after", defaultValue = "0", paramLabel = "SECONDS", description = "After the run, keep "
            + "every session in its room this long before closing (a 'holding' progress line marks the start): "
            + "for measuring the server's heap with its rooms loaded (default: ${DEFAULT-VALUE}).")
    int holdAfterSeconds;

    @Option(names = "--max-errors", description = "Exit 1 (after printing the report) when the run counted more "
            + "errors than this (default: no limit; 0 with --persistent).")
    Long maxErrors;

    @Option(names = "--json", description = "Print the report as one JSON object (errors by code in errorsByCode) "
            + "instead of text.")
    boolean json;

    @Option(names = "--progress-every", defaultValue = "5", paramLabel = "SECONDS", description = "When stderr is "
            + "not a terminal: a progress line every this many seconds, and at each phase (default: "
            + "${DEFAULT-VALUE}). On a terminal a progress bar is drawn instead.")
    int progressEverySeconds;

    /**
     * Exit 0 with the report on stdout; 2 for bad options; 1 when the run failed (one line on stderr, no stack
     * trace: an operator reads it, and the cause is in the words).
     */
    @Override
    public Integer call() {
        LoggingSetup.forTool();
        ClientOptions.Transport t;
        switch (transport.toLowerCase(java.util.Locale.ROOT)) {
            case "ws" -> t = ClientOptions.Transport.WS;
            case "tcp" -> t = ClientOptions.Transport.TCP;
            default -> {
                return usage("--transport must be ws or tcp");
            }
        }
        if (progressEverySeconds < 1) {
            return usage("--progress-every must be at least 1");
        }
        int targetPort = port != null ? port : t == ClientOptions.Transport.TCP ? 8082 : 8080;
        InetSocketAddress target = new InetSocketAddress(host, targetPort);
        try {
            if (fanoutProbe) {
                if (t != ClientOptions.Transport.TCP) {
                    return usage("--fanout-probe needs --transport tcp");
                }
                FanoutProbe.Result result = new FanoutProbe().run(target, connections, rate, durationSeconds,
                        warmupSeconds);
                print(json ? ReportJson.of(result) : result.toText());
                return Main.EXIT_OK;
            }
            if (idle) {
                IdleSessions.Result result = new IdleSessions().run(new IdleSessions.Options(t, target, wsPath,
                        connections, membersPerRoom, parallel, Duration.ofSeconds(holdSeconds), allowRemote),
                        System.err);
                print(json ? ReportJson.of(result) : result.toText());
                return Main.EXIT_OK;
            }
            LoadTestOptions options = new LoadTestOptions(t, target, wsPath, connections,
                    rooms != null ? rooms : Math.min(10, connections), rate, senders,
                    Duration.ofSeconds(durationSeconds), dropAndResume, parallel, allowRemote)
                    .withPersistentRooms(persistent).withWindow(window)
                    .withHoldAfter(Duration.ofSeconds(holdAfterSeconds));
            ProgressPrinter progress = new ProgressPrinter(System.err, System.console() != null,
                    Duration.ofSeconds(progressEverySeconds));
            LoadTestReport report = new LoadTest().run(options, progress);
            print(json ? report.toJson() : report.toText());
            Long limit = maxErrors != null ? maxErrors : persistent ? Long.valueOf(0) : null;
            if (limit != null && report.errors() > limit) {
                return failed("errors " + LoadTestReport.describeErrors(report.errorsByCode()) + ", more than the "
                        + limit + " allowed (--max-errors)");
            }
            return Main.EXIT_OK;
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (LoadTestFailure e) {
            return failed(e.getMessage());
        } catch (Exception e) {
            return failed(describe(e));
        }
    }

    private static void print(String report) {
        System.out.print(report);
        System.out.flush();
    }

    private static int usage(String problem) {
        System.err.println("loadtest: " + problem);
        return Main.EXIT_CONFIG;
    }

    private static int failed(String problem) {
        System.err.println("loadtest: " + problem);
        return Main.EXIT_START_FAILED;
    }

    /** The innermost cause in words: what a person can act on, where a stack trace would bury it. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + ": " + message;
    }
}
