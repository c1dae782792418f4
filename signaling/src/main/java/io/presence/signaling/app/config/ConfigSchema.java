package io.presence.signaling.app.config;

import java.time.Duration;
import java.util.List;

import static io.presence.signaling.app.config.ValueType.bool;
import static io.presence.signaling.app.config.ValueType.duration;
import static io.presence.signaling.app.config.ValueType.integer;
import static io.presence.signaling.app.config.ValueType.listOf;
import static io.presence.signaling.app.config.ValueType.oneOf;
import static io.presence.signaling.app.config.ValueType.size;
import static io.presence.signaling.app.config.ValueType.text;

/**
 * Every configuration key of the appliance, with its default and bounds: the single source for the
 * loader, the environment overrides, {@code check-config} and the test that keeps presence.example.yaml
 * complete. Sections mirror the modules.
 */
public final class ConfigSchema {

    private ConfigSchema() {
    }

    static final ValueType<String> HOST = text(253, "[A-Za-z0-9.:\\-\\[\\]]*", "an IP address or a host name");
    static final ValueType<String> PUBLIC_HOST = text(253, "[A-Za-z0-9.:\\-\\[\\]]*",
            "empty, an IP address or a host name");
    static final ValueType<String> PATH = text(4096, "[^\\x00]*", "a file path");
    static final ValueType<Integer> PORT = integer(0, 65535);
    static final ValueType<String> SECRET_TEXT = text(4096, "[^\\x00-\\x1f]*", "printable text");

    // server: the process as a whole
    public static final ConfigKey<String> SERVER_DATA_DIR = key("server.dataDir", PATH, "data",
            "Directory for the embedded database and generated secrets; created if missing.");
    public static final ConfigKey<String> SERVER_PUBLIC_HOST = key("server.publicHost", PUBLIC_HOST, "",
            "Host name or IP that clients use to reach this server (ICE URLs, invite links); empty = not set.");
    public static final ConfigKey<Integer> SERVER_IO_THREADS = key("server.ioThreads", integer(0, 256), 0,
            "Netty event-loop threads shared by every listener; 0 = two per CPU core.");
    public static final ConfigKey<Boolean> SERVER_NATIVE_TRANSPORT = key("server.nativeTransport", bool(), true,
            "Use the epoll transport on Linux when it loads (falls back to NIO).");
    public static final ConfigKey<Duration> SERVER_SHUTDOWN_GRACE = key("server.shutdownGrace",
            duration(Duration.ZERO, Duration.ofMinutes(10)), Duration.ofSeconds(10),
            "On SIGTERM: how long to let connections drain after readiness goes false and before listeners close.");

    // stun: the STUN/TURN port
    public static final ConfigKey<String> STUN_HOST = key("stun.host", HOST, "0.0.0.0",
            "Address the STUN/TURN listener binds (UDP and TCP).");
    public static final ConfigKey<Integer> STUN_PORT = key("stun.port", PORT, 3478,
            "STUN/TURN port, UDP and TCP; 0 = any free port.");

    public static final ConfigKey<Integer> STUN_TLS_PORT = key("stun.tlsPort", PORT, 5349,
            "STUN/TURN over TLS port, opened only when stun.tlsCertificate is set.");
    public static final ConfigKey<String> STUN_TLS_CERTIFICATE = key("stun.tlsCertificate", PATH, "",
            "PEM certificate chain for STUNS/TURNS; empty = no TLS listener.");
    public static final ConfigKey<String> STUN_TLS_PRIVATE_KEY = key("stun.tlsPrivateKey", PATH, "",
            "PKCS#8 PEM private key of stun.tlsCertificate.");
    public static final ConfigKey<String> STUN_ALTERNATE = key("stun.alternate",
            text(300, "|[0-9.]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}", "empty or ip:port"), "",
            "RFC 5780 NAT-behaviour discovery: a second IP of this host and a second port (needs a specific "
                    + "stun.host); empty = off.");
    public static final ConfigKey<Integer> STUN_MAX_FRAME_BYTES = key("stun.maxFrameBytes", integer(548, 65540),
            65540, "Largest STUN message or ChannelData frame accepted over TCP/TLS.");
    public static final ConfigKey<Duration> STUN_IDLE_TIMEOUT = key("stun.idleTimeout",
            duration(Duration.ofSeconds(10), Duration.ofHours(1)), Duration.ofMinutes(11),
            "TCP/TLS connections on the STUN port that send nothing for this long are closed.");

    // turn: the relay
    public static final ConfigKey<String> TURN_REALM = key("turn.realm",
            text(127, "[\\x21-\\x7e]+", "1 to 127 printable ASCII characters without spaces"), "presence",
            "Realm of the TURN long-term credential mechanism.");
    public static final ConfigKey<List<String>> TURN_SECRETS = secret("turn.secrets", listOf(SECRET_TEXT, 16),
            List.of(), "TURN REST shared secrets: the first mints credentials, all verify (rotation). "
                    + "Empty = a secret generated once and kept in server.dataDir.");

    // signaling: client-facing listeners
    public static final ConfigKey<String> SIGNALING_HOST = key("signaling.host", HOST, "0.0.0.0",
            "Address the WebSocket and TCP signaling listeners bind.");
    public static final ConfigKey<Integer> SIGNALING_WS_PORT = key("signaling.wsPort", PORT, 8080,
            "HTTP/WebSocket port (signaling at /ws); 0 = any free port.");
    public static final ConfigKey<Integer> SIGNALING_TCP_PORT = key("signaling.tcpPort", PORT, 8082,
            "Raw TCP signaling port; 0 = any free port.");
    public static final ConfigKey<List<String>> SIGNALING_TOKEN_KEYS = secret("signaling.tokenKeys",
            listOf(SECRET_TEXT, 16), List.of(), "Keys that sign session and invite tokens: the first signs, "
                    + "all verify. Empty = a key generated once and kept in server.dataDir.");

    // storage: named rooms, history, invites
    public static final ConfigKey<String> STORAGE_TYPE = key("storage.type", oneOf("h2", "mysql"), "h2",
            "h2 = embedded database in server.dataDir (zero setup); mysql = MySQL/MariaDB at storage.url.");
    public static final ConfigKey<String> STORAGE_URL = key("storage.url", text(2048, "|jdbc:[^\\s]+",
            "empty or a JDBC URL"), "", "JDBC URL; empty = derived from storage.type and server.dataDir.");
    public static final ConfigKey<String> STORAGE_USER = key("storage.user", text(128, null, null), "presence",
            "Database user.");
    public static final ConfigKey<List<String>> STORAGE_PASSWORD = secret("storage.password",
            listOf(SECRET_TEXT, 1), List.of(), "Database password (a list of at most one item); empty = none.");

    // metrics: the admin listener
    public static final ConfigKey<String> METRICS_HOST = key("metrics.host", HOST, "127.0.0.1",
            "Address of the admin listener (/metrics, /healthz, /readyz); keep it private.");
    public static final ConfigKey<Integer> METRICS_PORT = key("metrics.port", PORT, 9464,
            "Admin listener port; 0 = any free port.");

    // logging
    public static final ConfigKey<String> LOGGING_LEVEL = key("logging.level",
            oneOf("error", "warn", "info", "debug", "trace"), "info", "Root log level.");
    public static final ConfigKey<List<String>> LOGGING_LEVELS = key("logging.levels",
            listOf(text(200, "[A-Za-z0-9_.$]+=(?i)(error|warn|info|debug|trace|off)",
                    "logger=level, level one of error, warn, info, debug, trace, off"), 64), List.of(),
            "Per-logger levels, e.g. [io.presence.turn=debug, io.netty=warn].");
    public static final ConfigKey<String> LOGGING_FILE = key("logging.file", PATH, "",
            "Also log to this file, rotated daily and by size; empty = console only.");
    public static final ConfigKey<Long> LOGGING_MAX_FILE_SIZE = key("logging.maxFileSize",
            size(1L << 20, 10L << 30), 50L << 20, "Rotate the log file when it reaches this size.");
    public static final ConfigKey<Integer> LOGGING_MAX_HISTORY = key("logging.maxHistory", integer(1, 365), 7,
            "Rotated log files to keep (days).");

    public static final List<ConfigKey<?>> ALL = List.of(
            SERVER_DATA_DIR, SERVER_PUBLIC_HOST, SERVER_IO_THREADS, SERVER_NATIVE_TRANSPORT, SERVER_SHUTDOWN_GRACE,
            STUN_HOST, STUN_PORT, STUN_TLS_PORT, STUN_TLS_CERTIFICATE, STUN_TLS_PRIVATE_KEY, STUN_ALTERNATE,
            STUN_MAX_FRAME_BYTES, STUN_IDLE_TIMEOUT,
            TURN_REALM, TURN_SECRETS,
            SIGNALING_HOST, SIGNALING_WS_PORT, SIGNALING_TCP_PORT, SIGNALING_TOKEN_KEYS,
            STORAGE_TYPE, STORAGE_URL, STORAGE_USER, STORAGE_PASSWORD,
            METRICS_HOST, METRICS_PORT,
            LOGGING_LEVEL, LOGGING_LEVELS, LOGGING_FILE, LOGGING_MAX_FILE_SIZE, LOGGING_MAX_HISTORY);

    private static <T> ConfigKey<T> key(String path, ValueType<T> type, T def, String description) {
        return new ConfigKey<>(path, type, def, description, false);
    }

    private static <T> ConfigKey<T> secret(String path, ValueType<T> type, T def, String description) {
        return new ConfigKey<>(path, type, def, description, true);
    }
}
