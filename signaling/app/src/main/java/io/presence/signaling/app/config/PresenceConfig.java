package io.presence.signaling.app.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.presence.signaling.app.config.ConfigSchema.*;

/**
 * The validated configuration as typed sections, one per module. Built once at start and never changed.
 */
public record PresenceConfig(Server server, Stun stun, Turn turn, Signaling signaling,
                             Metrics metrics, Logging logging, ConfigValues values) {

    public record Server(Path dataDir, String publicHost, int ioThreads, boolean nativeTransport,
                         Duration shutdownGrace) { }

    /** {@code tlsCertificate} and {@code alternate} are empty when off. */
    public record Stun(InetSocketAddress bind, int tlsPort, String tlsCertificate, String tlsPrivateKey,
                       String alternate, int maxFrameBytes, Duration idleTimeout, int clientSockets) { }

    /** {@code secrets} may be empty: the appliance then generates one in the data directory. */
    public record Turn(String realm, List<Secret> secrets) { }

    /** The listeners' own settings come from {@link ModuleSettings#signaling}. */
    public record Signaling(String host) { }

    public record Metrics(InetSocketAddress bind) { }

    public record Logging(String level, List<String> levels, String file, long maxFileSize, int maxHistory) { }

    /** Loads and validates; {@code file} may be null. */
    public static PresenceConfig load(Path file, Map<String, String> env) throws ConfigException {
        PresenceConfig config = from(new ConfigLoader().load(file, env));
        ModuleSettings.check(config);
        return config;
    }

    public static PresenceConfig defaults() {
        try {
            return load(null, Map.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("the built-in defaults are invalid: " + e.getMessage(), e);
        }
    }

    static PresenceConfig from(ConfigValues v) {
        return new PresenceConfig(
                new Server(Path.of(v.get(SERVER_DATA_DIR)), v.get(SERVER_PUBLIC_HOST), v.get(SERVER_IO_THREADS),
                        v.get(SERVER_NATIVE_TRANSPORT), v.get(SERVER_SHUTDOWN_GRACE)),
                new Stun(InetSocketAddress.createUnresolved(v.get(STUN_HOST), v.get(STUN_PORT)), v.get(STUN_TLS_PORT),
                        v.get(STUN_TLS_CERTIFICATE), v.get(STUN_TLS_PRIVATE_KEY), v.get(STUN_ALTERNATE),
                        v.get(STUN_MAX_FRAME_BYTES), v.get(STUN_IDLE_TIMEOUT), v.get(STUN_CLIENT_SOCKETS)),
                new Turn(v.get(TURN_REALM), v.secrets(TURN_SECRETS)),
                new Signaling(v.get(SIGNALING_HOST)),
                new Metrics(InetSocketAddress.createUnresolved(v.get(METRICS_HOST), v.get(METRICS_PORT))),
                new Logging(v.get(LOGGING_LEVEL), v.get(LOGGING_LEVELS), v.get(LOGGING_FILE),
                        v.get(LOGGING_MAX_FILE_SIZE), v.get(LOGGING_MAX_HISTORY)),
                v);
    }
}
