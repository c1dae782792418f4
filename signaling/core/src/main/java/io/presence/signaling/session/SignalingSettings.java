package io.presence.signaling.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything configurable in the signaling core. Immutable; impossible values are rejected at construction with
 * the field's name. The composition root maps the configuration file onto this record; defaults are the named
 * constants below, which the configuration schema documents as its own defaults (one place for each value).
 *
 * @param wsHost               bind address of the HTTP/WebSocket listener
 * @param wsPort               its port; 0 = ephemeral (tests), -1 = disabled
 * @param wsPath               the WebSocket upgrade path
 * @param wssPort              WebSocket over TLS (same path, same host), bound only when {@code tls} is set; 0 =
 *                             ephemeral, -1 = disabled
 * @param tcpHost              bind address of the raw TCP listener
 * @param tcpPort              its port; 0 = ephemeral, -1 = disabled
 * @param tcpTls               the TCP listener speaks TLS (requires {@code tls}); otherwise plain
 * @param allowedOrigins       browser Origins allowed to open a WebSocket; empty = same-origin only (Origin host
 *                             equals the Host header); {@code "*"} = any. Requests without Origin (native clients)
 *                             are always allowed.
 * @param maxFrameBytes        largest accepted frame (TCP line or WebSocket message), in bytes
 * @param helloTimeout         a connection that has not completed {@code hello} by then is closed
 * @param pingInterval         the server pings each connection this often
 * @param pingGrace            a connection silent for {@code 2 × pingInterval + pingGrace} is declared dead
 * @param resumeGrace          how long a session without connections keeps its rooms and buffers events
 * @param resumeBufferEvents   events kept for replay; a detached session that overflows it ends
 * @param outboundQueueMessages messages queued for one connection before it is closed as a slow consumer
 * @param membersPerRoom       members in one room
 * @param roomsPerSession      rooms one session may be in
 * @param maxTextLength        characters of chat text
 * @param messagesPerSecond    sustained requests per second per session (token bucket rate)
 * @param messageBurst         token bucket capacity
 * @param rateLimitCloseAfter  how long a client's requests may go on being refused for the message rate without
 *                             letup before its connection is closed ({@code rate_limited}); see
 *                             {@link RateLimitOffence}
 * @param historySize          chat messages each room keeps in memory
 * @param typingTimeout        an active typing indicator clears itself after this
 * @param singleSessionPerUser a new session ends the user's other sessions (reason {@code replaced}); off by
 *                             default: tabs and devices each have their own session
 * @param devAuthEnabled       whether the development auth provider ({@code "dev"}: any display name, no check)
 *                             accepts logins; off by default, never for production
 * @param minProtocolVersion   oldest protocol version accepted in {@code hello}
 * @param maxProtocolVersion   newest protocol version accepted in {@code hello}
 * @param tls                  certificate and key: enables the WebSocket-over-TLS listener, and TLS on TCP when
 *                             {@code tcpTls}; null = no TLS anywhere
 * @param chatEditWindow       how long after sending a sender may edit its own chat message; zero = never (a room
 *                             owner may edit any message at any time)
 */
public record SignalingSettings(
        String wsHost, int wsPort, String wsPath, int wssPort,
        String tcpHost, int tcpPort, boolean tcpTls,
        List<String> allowedOrigins,
        int maxFrameBytes,
        Duration helloTimeout,
        Duration pingInterval, Duration pingGrace,
        Duration resumeGrace, int resumeBufferEvents,
        int outboundQueueMessages,
        int membersPerRoom, int roomsPerSession, int maxTextLength,
        double messagesPerSecond, int messageBurst, Duration rateLimitCloseAfter,
        int historySize, Duration typingTimeout,
        boolean singleSessionPerUser,
        boolean devAuthEnabled,
        int minProtocolVersion, int maxProtocolVersion,
        Tls tls,
        Duration chatEditWindow) {

    public static final String DEFAULT_WS_HOST = "0.0.0.0";
    public static final int DEFAULT_WS_PORT = 8080;
    public static final String DEFAULT_WS_PATH = "/ws";
    public static final int DEFAULT_WSS_PORT = 8443;
    public static final String DEFAULT_TCP_HOST = "0.0.0.0";
    public static final int DEFAULT_TCP_PORT = 8082;
    public static final boolean DEFAULT_TCP_TLS = false;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_PING_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESUME_GRACE = Duration.ofSeconds(60);
    public static final int DEFAULT_RESUME_BUFFER_EVENTS = 1024;
    public static final int DEFAULT_OUTBOUND_QUEUE_MESSAGES = 1024;
    public static final int DEFAULT_MEMBERS_PER_ROOM = 200;
    public static final int DEFAULT_ROOMS_PER_SESSION = 50;
    public static final int DEFAULT_MAX_TEXT_LENGTH = 4000;
    public static final int DEFAULT_MESSAGES_PER_SECOND = 20;
    public static final int DEFAULT_MESSAGE_BURST = 40;
    public static final Duration DEFAULT_RATE_LIMIT_CLOSE_AFTER = Duration.ofSeconds(4);
    public static final int DEFAULT_HISTORY_SIZE = 200;
    public static final Duration DEFAULT_TYPING_TIMEOUT = Duration.ofSeconds(6);
    public static final boolean DEFAULT_SINGLE_SESSION_PER_USER = false;
    public static final boolean DEFAULT_DEV_AUTH_ENABLED = false;
    public static final Duration DEFAULT_CHAT_EDIT_WINDOW = Duration.ofMinutes(15);
    /** The only protocol version so far. */
    public static final int PROTOCOL_VERSION_1 = 1;
    /** Requests pipelined behind {@code hello} that are held until the welcome; more are refused. */
    public static final int MAX_HELD_DURING_HELLO = 16;

    /**
     * TLS material: PEM certificate chain and PKCS#8 PEM private key, for the WebSocket-over-TLS listener and (with
     * {@code tcpTls}) the TCP listener. The files are checked
     * every {@code reloadCheck}; when they change, new connections use the new certificate (existing ones keep
     * theirs). A broken replacement is logged and the previous certificate stays in use.
     */
    public record Tls(Path certificateChain, Path privateKey, Duration reloadCheck) {
        public static final Duration DEFAULT_RELOAD_CHECK = Duration.ofSeconds(10);

        public Tls {
            Objects.requireNonNull(certificateChain, "tls.certificateChain");
            Objects.requireNonNull(privateKey, "tls.privateKey");
            positive("tls.reloadCheck", reloadCheck);
        }

        public Tls(Path certificateChain, Path privateKey) {
            this(certificateChain, privateKey, DEFAULT_RELOAD_CHECK);
        }
    }

    public SignalingSettings {
        Objects.requireNonNull(wsHost, "wsHost");
        Objects.requireNonNull(tcpHost, "tcpHost");
        Objects.requireNonNull(wsPath, "wsPath");
        if (!wsPath.startsWith("/")) {
            throw new IllegalArgumentException("wsPath must start with '/': " + wsPath);
        }
        port("wsPort", wsPort);
        port("tcpPort", tcpPort);
        port("wssPort", wssPort);
        if (tcpTls && tls == null) {
            throw new IllegalArgumentException("tcpTls needs tls (certificate and key)");
        }
        allowedOrigins = List.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
        atLeast("maxFrameBytes", maxFrameBytes, 256);
        positive("helloTimeout", helloTimeout);
        positive("pingInterval", pingInterval);
        Objects.requireNonNull(pingGrace, "pingGrace");
        if (pingGrace.isNegative()) {
            throw new IllegalArgumentException("pingGrace must not be negative");
        }
        positive("resumeGrace", resumeGrace);
        atLeast("resumeBufferEvents", resumeBufferEvents, 1);
        atLeast("outboundQueueMessages", outboundQueueMessages, 1);
        atLeast("membersPerRoom", membersPerRoom, 1);
        atLeast("roomsPerSession", roomsPerSession, 1);
        atLeast("maxTextLength", maxTextLength, 1);
        if (!(messagesPerSecond > 0)) {
            throw new IllegalArgumentException("messagesPerSecond must be > 0");
        }
        atLeast("messageBurst", messageBurst, 1);
        positive("rateLimitCloseAfter", rateLimitCloseAfter);
        atLeast("historySize", historySize, 0);
        positive("typingTimeout", typingTimeout);
        Objects.requireNonNull(chatEditWindow, "chatEditWindow");
        if (chatEditWindow.isNegative()) {
            throw new IllegalArgumentException("chatEditWindow must be zero or positive");
        }
        atLeast("minProtocolVersion", minProtocolVersion, 1);
        if (maxProtocolVersion < minProtocolVersion) {
            throw new IllegalArgumentException("maxProtocolVersion must be >= minProtocolVersion");
        }
        if (maxProtocolVersion > PROTOCOL_VERSION_1) {
            throw new IllegalArgumentException("maxProtocolVersion " + maxProtocolVersion
                    + " is newer than this server implements (" + PROTOCOL_VERSION_1 + ")");
        }
    }

    public static SignalingSettings defaults() {
        return new SignalingSettings(DEFAULT_WS_HOST, DEFAULT_WS_PORT, DEFAULT_WS_PATH, DEFAULT_WSS_PORT,
                DEFAULT_TCP_HOST, DEFAULT_TCP_PORT, DEFAULT_TCP_TLS, List.of(), DEFAULT_MAX_FRAME_BYTES, DEFAULT_HELLO_TIMEOUT, DEFAULT_PING_INTERVAL,
                DEFAULT_PING_GRACE, DEFAULT_RESUME_GRACE, DEFAULT_RESUME_BUFFER_EVENTS,
                DEFAULT_OUTBOUND_QUEUE_MESSAGES, DEFAULT_MEMBERS_PER_ROOM, DEFAULT_ROOMS_PER_SESSION,
                DEFAULT_MAX_TEXT_LENGTH, DEFAULT_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST, DEFAULT_RATE_LIMIT_CLOSE_AFTER,
                DEFAULT_HISTORY_SIZE,
                DEFAULT_TYPING_TIMEOUT, DEFAULT_SINGLE_SESSION_PER_USER, DEFAULT_DEV_AUTH_ENABLED, PROTOCOL_VERSION_1, PROTOCOL_VERSION_1, null,
                DEFAULT_CHAT_EDIT_WINDOW);
    }

    /** A connection is declared dead after this much silence. */
    public Duration deadAfter() {
        return pingInterval.multipliedBy(2).plus(pingGrace);
    }

    public boolean versionSupported(int version) {
        return version >= minProtocolVersion && version <= maxProtocolVersion;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(defaults());
    }

    /** Copy-and-change builder; {@link #build()} validates. */
    public static final class Builder {
        private String wsHost;
        private int wsPort;
        private String wsPath;
        private int wssPort;
        private String tcpHost;
        private int tcpPort;
        private boolean tcpTls;
        private List<String> allowedOrigins;
        private int maxFrameBytes;
        private Duration helloTimeout;
        private Duration pingInterval;
        private Duration pingGrace;
        private Duration resumeGrace;
        private int resumeBufferEvents;
        private int outboundQueueMessages;
        private int membersPerRoom;
        private int roomsPerSession;
        private int maxTextLength;
        private double messagesPerSecond;
        private int messageBurst;
        private Duration rateLimitCloseAfter;
        private int historySize;
        private Duration typingTimeout;
        private boolean singleSessionPerUser;
        private boolean devAuthEnabled;
        private int minProtocolVersion;
        private int maxProtocolVersion;
        private Tls tls;
        private Duration chatEditWindow;

        private Builder(SignalingSettings s) {
            wsHost = s.wsHost;
            wsPort = s.wsPort;
            wsPath = s.wsPath;
            wssPort = s.wssPort;
            tcpHost = s.tcpHost;
            tcpPort = s.tcpPort;
            tcpTls = s.tcpTls;
            allowedOrigins = s.allowedOrigins;
            maxFrameBytes = s.maxFrameBytes;
            helloTimeout = s.helloTimeout;
            pingInterval = s.pingInterval;
            pingGrace = s.pingGrace;
            resumeGrace = s.resumeGrace;
            resumeBufferEvents = s.resumeBufferEvents;
            outboundQueueMessages = s.outboundQueueMessages;
            membersPerRoom = s.membersPerRoom;
            roomsPerSession = s.roomsPerSession;
            maxTextLength = s.maxTextLength;
            messagesPerSecond = s.messagesPerSecond;
            messageBurst = s.messageBurst;
            rateLimitCloseAfter = s.rateLimitCloseAfter;
            historySize = s.historySize;
            typingTimeout = s.typingTimeout;
            singleSessionPerUser = s.singleSessionPerUser;
            devAuthEnabled = s.devAuthEnabled;
            minProtocolVersion = s.minProtocolVersion;
            maxProtocolVersion = s.maxProtocolVersion;
            tls = s.tls;
            chatEditWindow = s.chatEditWindow;
        }

        public Builder ws(String host, int port) {
            this.wsHost = host;
            this.wsPort = port;
            return this;
        }

        public Builder wsPath(String path) {
            this.wsPath = path;
            return this;
        }

        public Builder wssPort(int port) {
            this.wssPort = port;
            return this;
        }

        public Builder tcpTls(boolean v) {
            this.tcpTls = v;
            return this;
        }

        public Builder tcp(String host, int port) {
            this.tcpHost = host;
            this.tcpPort = port;
            return this;
        }

        public Builder allowedOrigins(List<String> origins) {
            this.allowedOrigins = origins;
            return this;
        }

        public Builder maxFrameBytes(int v) {
            this.maxFrameBytes = v;
            return this;
        }

        public Builder helloTimeout(Duration v) {
            this.helloTimeout = v;
            return this;
        }

        public Builder ping(Duration interval, Duration grace) {
            this.pingInterval = interval;
            this.pingGrace = grace;
            return this;
        }

        public Builder resumeGrace(Duration v) {
            this.resumeGrace = v;
            return this;
        }

        public Builder resumeBufferEvents(int v) {
            this.resumeBufferEvents = v;
            return this;
        }

        public Builder outboundQueueMessages(int v) {
            this.outboundQueueMessages = v;
            return this;
        }

        public Builder membersPerRoom(int v) {
            this.membersPerRoom = v;
            return this;
        }

        public Builder roomsPerSession(int v) {
            this.roomsPerSession = v;
            return this;
        }

        public Builder maxTextLength(int v) {
            this.maxTextLength = v;
            return this;
        }

        public Builder messageRate(double perSecond, int burst) {
            this.messagesPerSecond = perSecond;
            this.messageBurst = burst;
            return this;
        }

        public Builder rateLimitCloseAfter(Duration v) {
            this.rateLimitCloseAfter = v;
            return this;
        }

        public Builder historySize(int v) {
            this.historySize = v;
            return this;
        }

        public Builder typingTimeout(Duration v) {
            this.typingTimeout = v;
            return this;
        }

        public Builder singleSessionPerUser(boolean v) {
            this.singleSessionPerUser = v;
            return this;
        }

        public Builder devAuthEnabled(boolean v) {
            this.devAuthEnabled = v;
            return this;
        }

        public Builder protocolVersions(int min, int max) {
            this.minProtocolVersion = min;
            this.maxProtocolVersion = max;
            return this;
        }

        public Builder chatEditWindow(Duration v) {
            this.chatEditWindow = v;
            return this;
        }

        public Builder tls(Tls v) {
            this.tls = v;
            return this;
        }

        public SignalingSettings build() {
            return new SignalingSettings(wsHost, wsPort, wsPath, wssPort, tcpHost, tcpPort, tcpTls, allowedOrigins, maxFrameBytes,
                    helloTimeout, pingInterval, pingGrace, resumeGrace, resumeBufferEvents, outboundQueueMessages,
                    membersPerRoom, roomsPerSession, maxTextLength, messagesPerSecond, messageBurst, rateLimitCloseAfter,
                    historySize,
                    typingTimeout, singleSessionPerUser, devAuthEnabled, minProtocolVersion, maxProtocolVersion, tls,
                    chatEditWindow);
        }
    }

    private static void port(String name, int port) {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be -1 (disabled), 0 (ephemeral) or 1..65535: " + port);
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
