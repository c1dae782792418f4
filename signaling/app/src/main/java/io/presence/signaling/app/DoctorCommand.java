package io.presence.signaling.app;

import io.presence.signaling.app.config.ConfigException;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.app.doctor.Doctor;
import io.presence.signaling.app.doctor.DoctorReport;
import io.presence.signaling.app.doctor.DoctorTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.LogManager;

/**
 * {@code presence doctor}: checks a RUNNING appliance from the outside, with ice4j's ICE agent as the client.
 * It reads the same configuration and data directory as {@code serve} (for the ports, the certificate and the
 * TURN secret it mints short-lived credentials from) and never starts a listener of its own.
 *
 * <p>Exit codes: 0 when no step failed (warnings allowed), 1 when a step failed, 2 for invalid configuration.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Check a running appliance the way a "
        + "remote client meets it: server.publicHost, STUN over UDP, TURN allocations over UDP, TCP and TLS with "
        + "credentials minted from the server's secret, the TLS certificate's expiry, and an ICE connectivity check "
        + "between two relay-only agents through the relay. Prints a diagnosis per step; exits 1 when a step fails.")
final class DoctorCommand implements Callable<Integer> {

    static final int EXIT_FAILED = 1;

    @CommandLine.Mixin
    Main.ConfigOption config;

    @Option(names = "--host", paramLabel = "HOST", description = "Test this host instead of the one clients are "
            + "told (server.publicHost, else the STUN listener's address).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "STUN/TURN port (default: stun.port).")
    Integer port;

    @Option(names = "--tls-port", paramLabel = "PORT", description = "TURN over TLS port (default: stun.tlsPort; "
            + "tested only when stun.tlsCertificate is set).")
    Integer tlsPort;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3", description = "Seconds to wait for a "
            + "TCP or TLS connection (default: ${DEFAULT-VALUE}; UDP requests follow ice4j's retransmissions); the ICE "
            + "check gets twice this.")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print the findings as JSON.")
    boolean json;

    @Override
    public Integer call() {
        // The report is the command's only output: ice4j and its configuration library log through
        // java.util.logging, some of it on loggers outside org.ice4j and with levels of their own.
        LogManager.getLogManager().reset();
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) {
        PresenceConfig loaded;
        try {
            loaded = config == null ? new Main.ConfigOption().load() : config.load();
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.EXIT_CONFIG;
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 60) {
            err.println("doctor: --timeout must be 1..60 seconds");
            return Main.EXIT_CONFIG;
        }
        if ((port != null && (port < 1 || port > 65535)) || (tlsPort != null && (tlsPort < 1 || tlsPort > 65535))) {
            err.println("doctor: --port and --tls-port must be 1..65535");
            return Main.EXIT_CONFIG;
        }
        DoctorTarget target = DoctorTarget.of(loaded, host, port, tlsPort);
        DoctorReport report;
        try {
            report = new DoctorReport(target, new Doctor(target, Duration.ofSeconds(timeoutSeconds),
                    Clock.systemUTC()).run());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("doctor: interrupted");
            return EXIT_FAILED;
        }
        out.print(json ? report.toJson() : report.toText());
        out.flush();
        return report.passed() ? Main.EXIT_OK : EXIT_FAILED;
    }
}
