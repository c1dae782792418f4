package io.presence.signaling.app.config;

import io.presence.signaling.invite.InviteSettings;
import io.presence.signaling.jdbc.StorageSettings;
import io.presence.signaling.session.SignInThrottle;
import io.presence.signaling.friend.FriendSettings;
import io.presence.signaling.signin.JwtSettings;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.session.SignalingSettings;
import io.presence.signaling.transport.SignalingServer;
import io.presence.stun.server.StunSettings;
import io.presence.turn.config.TurnSettings;

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
            "Directory for generated secrets; created if missing.");
    public static final ConfigKey<String> SERVER_PUBLIC_HOST = key("server.publicHost", PUBLIC_HOST, "",
            "Host name or IP that clients use to reach this server (ICE URLs, invite links); empty = not set.");
    public static final ConfigKey<Integer> SERVER_IO_THREADS = key("server.ioThreads", integer(0, 256), 0,
            "Netty event-loop threads shared by every listener; 0 = two per CPU core.");
    public static final ConfigKey<Boolean> SERVER_NATIVE_TRANSPORT = key("server.nativeTransport", bool(), true,
            "Use the epoll transport on Linux when it loads (falls back to NIO).");
    public static final ConfigKey<Integer> SERVER_DESCRIPTOR_RESERVE = key("server.descriptorReserve",
            integer(0, 1_000_000), 4096, "File descriptors kept out of the TCP connection caps' reach, for UDP sockets "
                    + "(relay addresses, client and peer sockets), the admin listener and files: the caps of "
                    + "stun.maxConnections and signaling.maxConnections together stay below the process's descriptor "
                    + "limit less this.");
    public static final ConfigKey<Duration> SERVER_SHUTDOWN_GRACE = key("server.shutdownGrace",
            duration(Duration.ZERO, Duration.ofMinutes(10)), Duration.ofSeconds(10),
            "On SIGTERM: how long to let connections drain after readiness goes false and before listeners close.");
    public static final ConfigKey<List<String>> SERVER_TRUSTED_PROXIES = key("server.trustedProxies",
            listOf(text(100, "[0-9A-Fa-f.:]+(/\\d{1,3})?", "an IP address or CIDR block"), 256), List.of(),
            "Reverse proxies (IP addresses or CIDR blocks) whose X-Forwarded-For / Forwarded headers name the "
                    + "client's address on WebSocket connections, for the sign-in throttle; from any other peer "
                    + "those headers are ignored. Empty = the socket's peer is the client.");

    // stun: the STUN/TURN port
    public static final ConfigKey<String> STUN_HOST = key("stun.host", HOST, StunSettings.DEFAULT_BIND_HOST,
            "Address the STUN/TURN listener binds (UDP and TCP); 0.0.0.0 = every interface, IPv4 and IPv6.");
    public static final ConfigKey<Integer> STUN_PORT = key("stun.port", PORT, StunSettings.DEFAULT_PORT,
            "STUN/TURN port, UDP and TCP; 0 = any free port.");

    public static final ConfigKey<Boolean> STUN_TCP_ENABLED = key("stun.tcpEnabled", bool(), true,
            "STUN/TURN over TCP on stun.port; false = UDP only (TLS follows stun.tlsCertificate alone).");
    public static final ConfigKey<Integer> STUN_TLS_PORT = key("stun.tlsPort", PORT, StunSettings.DEFAULT_TLS_PORT,
            "STUN/TURN over TLS port, opened only when stun.tlsCertificate is set.");
    public static final ConfigKey<String> STUN_TLS_CERTIFICATE = key("stun.tlsCertificate", PATH, "",
            "PEM certificate chain for STUNS/TURNS (the server's certificate first, then intermediates); re-read "
                    + "when the file changes. Empty = no TLS listener.");
    public static final ConfigKey<String> STUN_TLS_PRIVATE_KEY = key("stun.tlsPrivateKey", PATH, "",
            "PEM private key of stun.tlsCertificate: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), not encrypted.");
    public static final ConfigKey<String> STUN_ALTERNATE = key("stun.alternate",
            text(300, "|[0-9.]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}", "empty or ip:port"), "",
            "RFC 5780 NAT-behaviour discovery: a second IP of this host and a second port (needs a specific "
                    + "stun.host); empty = off.");
    public static final ConfigKey<Integer> STUN_MAX_FRAME_BYTES = key("stun.maxFrameBytes", integer(548, StunSettings.DEFAULT_MAX_FRAME_BYTES),
            StunSettings.DEFAULT_MAX_FRAME_BYTES, "Largest STUN message or ChannelData frame accepted over TCP/TLS.");
    public static final ConfigKey<Duration> STUN_IDLE_TIMEOUT = key("stun.idleTimeout",
            duration(Duration.ofSeconds(10), Duration.ofHours(1)), StunSettings.DEFAULT_IDLE_TIMEOUT,
            "TCP/TLS connections on the STUN port idle this long are closed, once a TURN request on them has been "
                    + "authenticated (before that: stun.unauthenticatedIdleTimeout).");
    public static final ConfigKey<Duration> STUN_UNAUTHENTICATED_IDLE_TIMEOUT = key("stun.unauthenticatedIdleTimeout",
            duration(Duration.ofMillis(100), Duration.ofHours(1)), StunSettings.DEFAULT_UNAUTHENTICATED_IDLE_TIMEOUT,
            "TCP/TLS connections on the STUN port with no authenticated TURN request yet (plain Binding clients "
                    + "among them) are closed after this long without a complete message.");
    public static final ConfigKey<Duration> STUN_FIRST_MESSAGE_TIMEOUT = key("stun.firstMessageTimeout",
            duration(Duration.ofMillis(100), Duration.ofMinutes(5)), StunSettings.DEFAULT_FIRST_MESSAGE_TIMEOUT,
            "A TCP/TLS connection on the STUN port must deliver its first well-formed STUN message within this of "
                    + "connecting (TLS handshake included), and every later frame within this of its first byte.");
    public static final ConfigKey<Integer> STUN_MAX_CONNECTIONS = key("stun.maxConnections",
            integer(0, 1_000_000), 0, "TCP and TLS connections on the STUN port at once; more are reset at accept. "
                    + "0 = a quarter of the descriptors left after server.descriptorReserve.");
    public static final ConfigKey<Integer> STUN_MAX_CONNECTIONS_PER_IP = key("stun.maxConnectionsPerIp",
            integer(1, 1_000_000), StunSettings.DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
            "TCP and TLS connections on the STUN port at once from one IPv4 address or "
                    + "IPv6 /64; more are reset at accept.");
    public static final ConfigKey<Integer> STUN_CLIENT_SOCKETS = key("stun.clientSockets", integer(0, 65536), StunSettings.DEFAULT_CLIENT_SOCKETS,
            "Most UDP clients relaying data at once with a socket of the STUN port of their own, connected to them "
                    + "(less CPU per datagram; IPv4 clients, Linux, a specific stun.host); 0 = off.");

    // turn: the relay
    public static final ConfigKey<String> TURN_REALM = key("turn.realm",
            text(127, "[\\x21-\\x7e]+", "1 to 127 printable ASCII characters without spaces"),
            TurnSettings.DEFAULT_REALM,
            "Realm of the TURN long-term credential mechanism.");
    public static final ConfigKey<List<String>> TURN_SECRETS = secret("turn.secrets", listOf(SECRET_TEXT, 16),
            List.of(), "TURN REST shared secrets: the first mints credentials, all verify (rotation). "
                    + "Empty = a secret generated once and kept in server.dataDir.");
    public static final ConfigKey<Boolean> TURN_ALLOW_WEAK_SECRETS = key("turn.allowWeakSecrets", bool(), false,
            "Accept turn.secrets and live.externalTurnSecret under 128 bits of estimated strength (fewer than 22 "
                    + "base64 characters, 32 hex or 39 decimal digits, or fewer than 5 different characters). For "
                    + "test setups only: anyone holding one credential can guess a weak secret offline.");

    // Shorter than the relay library's TurnSettings.DEFAULT_MAX_CREDENTIAL_TTL on purpose: the appliance mints
    // credentials of live.credentialTtl and pushes fresh ones before they expire, so no call needs a long one, and
    // the relay remembers each revocation for this long.
    public static final ConfigKey<Duration> TURN_MAX_CREDENTIAL_TTL = key("turn.maxCredentialTtl",
            duration(Duration.ofMinutes(1), Duration.ofDays(1)), Duration.ofHours(1),
            "Cap on the lifetime of TURN credentials: minted ones, and any presented with an expiry further ahead "
                    + "(plus 60s clock skew) is refused; a revocation is remembered this long.");
    public static final ConfigKey<Duration> TURN_ALLOCATION_LIFETIME = key("turn.allocationLifetime",
            duration(Duration.ofSeconds(30), Duration.ofHours(1)), TurnSettings.DEFAULT_ALLOCATION_LIFETIME,
            "Allocation lifetime when the client asks for none (RFC 8656 default 10m).");
    public static final ConfigKey<Duration> TURN_MAX_ALLOCATION_LIFETIME = key("turn.maxAllocationLifetime",
            duration(Duration.ofMinutes(1), Duration.ofHours(24)), TurnSettings.DEFAULT_MAX_ALLOCATION_LIFETIME,
            "Longest allocation lifetime a client may ask for.");
    public static final ConfigKey<Duration> TURN_NONCE_LIFETIME = key("turn.nonceLifetime",
            duration(Duration.ofSeconds(30), Duration.ofHours(24)), TurnSettings.DEFAULT_NONCE_LIFETIME,
            "Stateless nonces older than this get 438 Stale Nonce with a fresh one.");
    public static final ConfigKey<String> TURN_RELAY_IPV4 = key("turn.relayIpv4", text(15, "|[0-9.]+", "empty or an IPv4 address"), "",
            "Local IPv4 address relay sockets bind; empty = stun.host if specific, else the first global IPv4.");
    public static final ConfigKey<String> TURN_RELAY_IPV6 = key("turn.relayIpv6", text(45, "|[0-9A-Fa-f:.]+", "empty or an IPv6 address"), "",
            "Local IPv6 address for IPv6 allocations (REQUESTED-ADDRESS-FAMILY IPv6); empty = stun.host if it is a "
                    + "specific IPv6 address, else with stun.host on every interface the host's first global IPv6, else "
                    + "none (such allocations get 440).");
    public static final ConfigKey<String> TURN_EXTERNAL_IPV4 = key("turn.externalIpv4", text(15, "|[0-9.]+", "empty or an IPv4 address"), "",
            "Public IPv4 advertised in relayed addresses when the relay sits behind NAT (Docker, cloud).");
    public static final ConfigKey<String> TURN_EXTERNAL_IPV6 = key("turn.externalIpv6", text(45, "|[0-9A-Fa-f:.]+", "empty or an IPv6 address"), "",
            "Public IPv6 advertised in relayed addresses when behind NAT.");
    public static final ConfigKey<Integer> TURN_RELAY_PORT_MIN = key("turn.relayPortMin", integer(1024, 65535),
            TurnSettings.DEFAULT_RELAY_PORT_MIN, "Lowest UDP port for relayed addresses.");
    public static final ConfigKey<Integer> TURN_RELAY_PORT_MAX = key("turn.relayPortMax", integer(1024, 65535),
            TurnSettings.DEFAULT_RELAY_PORT_MAX,
            "Highest UDP port for relayed addresses; when all are taken, Allocate gets 508.");
    public static final ConfigKey<List<String>> TURN_ALLOW_PEERS = key("turn.allowPeers", listOf(text(100, "[0-9A-Fa-f.:]+(/\\d{1,3})?", "an IP address or CIDR block"), 256),
            List.of(), "Peer ranges allowed although the default deny list covers them (e.g. 10.0.0.0/8 for a LAN); "
                    + "never this appliance's own addresses. An IPv4 range also opens its ::ffff: mapped form, never NAT64, "
                    + "6to4 or Teredo forms: list those as IPv6 ranges.");
    public static final ConfigKey<List<String>> TURN_DENY_PEERS = key("turn.denyPeers", listOf(text(100, "[0-9A-Fa-f.:]+(/\\d{1,3})?", "an IP address or CIDR block"), 256),
            List.of(), "Peer ranges denied in addition to the built-in private, loopback and special-use ranges. "
                    + "An IPv4 range also denies every IPv6 form carrying those addresses (mapped, NAT64, 6to4, Teredo...).");
    public static final ConfigKey<Integer> TURN_ALLOCATIONS_PER_PARTICIPANT = key("turn.allocationsPerParticipant",
            integer(1, 1000), TurnSettings.Quotas.DEFAULT_ALLOCATIONS_PER_PARTICIPANT,
            "Allocations one participant's credentials may hold.");
    public static final ConfigKey<Integer> TURN_ALLOCATIONS_PER_ROOM = key("turn.allocationsPerRoom",
            integer(1, 1_000_000), TurnSettings.Quotas.DEFAULT_ALLOCATIONS_PER_ROOM,
            "Allocations one room's credentials may hold.");
    public static final ConfigKey<Integer> TURN_MAX_ALLOCATIONS = key("turn.maxAllocations", integer(1, 1_000_000),
            TurnSettings.Quotas.DEFAULT_ALLOCATIONS, "Allocations in total.");
    public static final ConfigKey<Integer> TURN_PERMISSIONS_PER_ALLOCATION = key("turn.permissionsPerAllocation",
            integer(1, 10_000), TurnSettings.Quotas.DEFAULT_PERMISSIONS_PER_ALLOCATION, "Permissions per allocation.");
    public static final ConfigKey<Integer> TURN_CHANNELS_PER_ALLOCATION = key("turn.channelsPerAllocation",
            integer(1, 4096), TurnSettings.Quotas.DEFAULT_CHANNELS_PER_ALLOCATION, "Channels per allocation.");
    public static final ConfigKey<Long> TURN_BANDWIDTH_PER_ALLOCATION = key("turn.bandwidthPerAllocation",
            size(0, 1L << 30), TurnSettings.Quotas.DEFAULT_BANDWIDTH_PER_ALLOCATION,
            "Bytes per second one allocation may relay (token bucket); 0 = unlimited.");
    public static final ConfigKey<Long> TURN_BANDWIDTH_TOTAL = key("turn.bandwidthTotal", size(0, 1L << 40), 0L,
            "Bytes per second the whole relay may relay; 0 = unlimited.");
    public static final ConfigKey<Integer> TURN_UNAUTHENTICATED_RATE = key("turn.unauthenticatedRate",
            integer(1, 100_000), (int) TurnSettings.DEFAULT_UNAUTHENTICATED_RATE,
            "401/438 answers per second per source IP (port ignored); the rest are dropped.");
    public static final ConfigKey<Integer> TURN_UNAUTHENTICATED_BURST = key("turn.unauthenticatedBurst",
            integer(1, 1_000_000), TurnSettings.DEFAULT_UNAUTHENTICATED_BURST,
            "Burst of 401/438 answers per source IP.");
    public static final ConfigKey<Integer> TURN_PEER_SOCKETS = key("turn.peerSockets", integer(0, 65536), TurnSettings.DEFAULT_PEER_SOCKETS,
            "Most allocations at once with a socket of their relay address connected to the first peer they send to "
                    + "(less CPU per datagram; Linux, a specific relay address); 0 = off.");

    // signaling: client-facing listeners
    public static final ConfigKey<String> SIGNALING_HOST = key("signaling.host", HOST, SignalingSettings.DEFAULT_WS_HOST,
            "Address the WebSocket and TCP signaling listeners bind.");
    public static final ConfigKey<Integer> SIGNALING_WS_PORT = key("signaling.wsPort", PORT, SignalingSettings.DEFAULT_WS_PORT,
            "HTTP/WebSocket port (signaling at /ws); 0 = any free port.");
    public static final ConfigKey<Integer> SIGNALING_TCP_PORT = key("signaling.tcpPort", PORT, SignalingSettings.DEFAULT_TCP_PORT,
            "Raw TCP signaling port (newline-delimited JSON); 0 = any free port.");
    public static final ConfigKey<Boolean> SIGNALING_WS_ENABLED = key("signaling.wsEnabled", bool(), true,
            "Open the HTTP/WebSocket listener (signaling.wsPort, which also serves the web client); false = not bound.");
    public static final ConfigKey<Boolean> SIGNALING_WSS_ENABLED = key("signaling.wssEnabled", bool(), true,
            "Open the WebSocket over TLS listener (signaling.wssPort) when signaling.tlsCertificate is set; false = "
                    + "not bound (the certificate then serves signaling.tcpTls only).");
    public static final ConfigKey<Boolean> SIGNALING_TCP_ENABLED = key("signaling.tcpEnabled", bool(), true,
            "Open the raw TCP signaling listener (signaling.tcpPort); false = not bound (browsers use WebSocket only).");
    public static final ConfigKey<String> SIGNALING_WS_PATH = key("signaling.wsPath",
            text(200, "/[A-Za-z0-9._~/-]*", "a path starting with /"), SignalingSettings.DEFAULT_WS_PATH,
            "WebSocket upgrade path.");
    public static final ConfigKey<Integer> SIGNALING_WSS_PORT = key("signaling.wssPort", PORT, SignalingSettings.DEFAULT_WSS_PORT,
            "WebSocket over TLS port, opened only when signaling.tlsCertificate is set.");
    public static final ConfigKey<Boolean> SIGNALING_TCP_TLS = key("signaling.tcpTls", bool(), SignalingSettings.DEFAULT_TCP_TLS,
            "The raw TCP listener speaks TLS (needs signaling.tlsCertificate).");
    public static final ConfigKey<String> SIGNALING_TLS_CERTIFICATE = key("signaling.tlsCertificate", PATH, "",
            "PEM certificate chain for WSS (and TCP with tcpTls), the server's certificate first; re-read when the "
                    + "file changes. Empty = no TLS.");
    public static final ConfigKey<String> SIGNALING_TLS_PRIVATE_KEY = key("signaling.tlsPrivateKey", PATH, "",
            "PEM private key of signaling.tlsCertificate: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), not encrypted.");
    public static final ConfigKey<List<String>> SIGNALING_ALLOWED_ORIGINS = key("signaling.allowedOrigins",
            listOf(text(300, "\\*|https?://[A-Za-z0-9.:\\-\\[\\]]+", "* or an origin like https://host:port"), 64),
            List.of(), "Browser Origins allowed to open a WebSocket; empty = same origin as the Host header; "
                    + "* = any. Clients that send no Origin (native apps) are always allowed.");
    public static final ConfigKey<Integer> SIGNALING_MAX_FRAME_BYTES = key("signaling.maxFrameBytes",
            integer(256, 16 << 20), SignalingSettings.DEFAULT_MAX_FRAME_BYTES,
            "Largest accepted frame (TCP line or WebSocket message), bytes.");
    public static final ConfigKey<Duration> SIGNALING_HELLO_TIMEOUT = key("signaling.helloTimeout",
            duration(Duration.ofSeconds(1), Duration.ofMinutes(5)), SignalingSettings.DEFAULT_HELLO_TIMEOUT,
            "A connection that has not completed hello by then is closed; a WebSocket must also complete its upgrade "
                    + "within this of connecting.");
    public static final ConfigKey<Integer> SIGNALING_MAX_CONNECTIONS = key("signaling.maxConnections",
            integer(0, 1_000_000), 0, "Connections across the WebSocket, WSS and TCP listeners at once (before hello "
                    + "too); more are reset at accept. 0 = three quarters of the descriptors left after "
                    + "server.descriptorReserve.");
    public static final ConfigKey<Integer> SIGNALING_MAX_CONNECTIONS_PER_IP = key("signaling.maxConnectionsPerIp",
            integer(1, 1_000_000), SignalingServer.DEFAULT_CONNECTION_LIMITS.maxPerSource(), "Signaling connections at once from one IPv4 address or IPv6 /64 (behind a "
                    + "reverse proxy all come from its address: raise it); more are reset at accept.");
    public static final ConfigKey<Duration> SIGNALING_PING_INTERVAL = key("signaling.pingInterval",
            duration(Duration.ofSeconds(1), Duration.ofMinutes(10)), SignalingSettings.DEFAULT_PING_INTERVAL,
            "The server pings each connection this often.");
    public static final ConfigKey<Duration> SIGNALING_PING_GRACE = key("signaling.pingGrace",
            duration(Duration.ZERO, Duration.ofMinutes(10)), SignalingSettings.DEFAULT_PING_GRACE,
            "A connection silent for 2 x pingInterval + pingGrace is declared dead (half-open sockets too).");
    public static final ConfigKey<Duration> SIGNALING_RESUME_GRACE = key("signaling.resumeGrace",
            duration(Duration.ZERO, Duration.ofHours(1)), SignalingSettings.DEFAULT_RESUME_GRACE,
            "How long a session without connections keeps its rooms and buffers events for resume.");
    public static final ConfigKey<Integer> SIGNALING_RESUME_BUFFER_EVENTS = key("signaling.resumeBufferEvents",
            integer(16, 1 << 20), SignalingSettings.DEFAULT_RESUME_BUFFER_EVENTS,
            "Events kept for replay; a detached session that overflows it ends.");
    public static final ConfigKey<Integer> SIGNALING_OUTBOUND_QUEUE = key("signaling.outboundQueueMessages",
            integer(16, 1 << 20), SignalingSettings.DEFAULT_OUTBOUND_QUEUE_MESSAGES,
            "Unsent messages per connection before it is closed as a slow consumer.");
    public static final ConfigKey<Integer> SIGNALING_MEMBERS_PER_ROOM = key("signaling.membersPerRoom",
            integer(2, 100_000), SignalingSettings.DEFAULT_MEMBERS_PER_ROOM, "Members in one room.");
    public static final ConfigKey<Integer> SIGNALING_ROOMS_PER_SESSION = key("signaling.roomsPerSession",
            integer(1, 10_000), SignalingSettings.DEFAULT_ROOMS_PER_SESSION, "Rooms one session may be in.");
    public static final ConfigKey<Integer> SIGNALING_MAX_TEXT_LENGTH = key("signaling.maxTextLength",
            integer(1, 1 << 20), SignalingSettings.DEFAULT_MAX_TEXT_LENGTH, "Characters of one chat message.");
    public static final ConfigKey<Integer> SIGNALING_MESSAGES_PER_SECOND = key("signaling.messagesPerSecond",
            integer(1, 100_000), SignalingSettings.DEFAULT_MESSAGES_PER_SECOND,
            "Sustained requests per second per session (token bucket rate).");
    public static final ConfigKey<Integer> SIGNALING_MESSAGE_BURST = key("signaling.messageBurst",
            integer(1, 1_000_000), SignalingSettings.DEFAULT_MESSAGE_BURST,
            "Requests a session may send at once (token bucket capacity).");
    public static final ConfigKey<Duration> SIGNALING_RATE_LIMIT_CLOSE_AFTER = key("signaling.rateLimitCloseAfter",
            duration(Duration.ofSeconds(1), Duration.ofMinutes(10)), SignalingSettings.DEFAULT_RATE_LIMIT_CLOSE_AFTER,
            "How long a client may go on sending well above its message rate (refused without letup: about 1.5 x "
                    + "the rate or more) before its connection is closed with reason rate_limited.");
    public static final ConfigKey<Integer> SIGNALING_HISTORY_SIZE = key("signaling.historySize",
            integer(0, 100_000), SignalingSettings.DEFAULT_HISTORY_SIZE,
            "Chat messages each room keeps in memory for history pages.");
    public static final ConfigKey<Duration> SIGNALING_TYPING_TIMEOUT = key("signaling.typingTimeout",
            duration(Duration.ofSeconds(1), Duration.ofMinutes(5)), SignalingSettings.DEFAULT_TYPING_TIMEOUT,
            "A typing indicator clears itself after this.");
    public static final ConfigKey<Duration> SIGNALING_CHAT_EDIT_WINDOW = key("signaling.chatEditWindow",
            duration(Duration.ZERO, Duration.ofDays(365)), SignalingSettings.DEFAULT_CHAT_EDIT_WINDOW,
            "How long after sending a sender may edit its own chat message; 0 = never. A room owner may edit any "
                    + "message at any time, with a reason when it is someone else's.");
    public static final ConfigKey<Boolean> SIGNALING_SINGLE_SESSION = key("signaling.singleSessionPerUser", bool(),
            SignalingSettings.DEFAULT_SINGLE_SESSION_PER_USER,
            "A new session ends the same user's older sessions (default: several sessions coexist).");
    public static final ConfigKey<Boolean> SIGNALING_DEV_AUTH = key("signaling.devAuth", bool(), SignalingSettings.DEFAULT_DEV_AUTH_ENABLED,
            "Development login: any display name, no check. Never enable it on a reachable server.");

    public static final ConfigKey<List<String>> SIGNALING_TOKEN_KEYS = secret("signaling.tokenKeys",
            listOf(SECRET_TEXT, 16), List.of(), "HS256 secrets of signed-token sign-in (hello.auth provider jwt): the "
                    + "first signs (presence token), all verify (rotation); each at least 32 bytes. Empty = a key "
                    + "generated once and kept in server.dataDir.");

    // live: calls in rooms (WebRTC signaling, TURN credentials, privacy mode)
    public static final ConfigKey<Duration> LIVE_CREDENTIAL_TTL = key("live.credentialTtl",
            duration(Duration.ofMinutes(1), Duration.ofDays(1)), LiveServices.DEFAULT_CREDENTIAL_TTL,
            "Lifetime of the TURN credentials a call participant gets; clients refresh before it ends. "
                    + "The in-process relay caps it at turn.maxCredentialTtl.");
    public static final ConfigKey<Integer> LIVE_MESH_CAP = key("live.meshCap",
            integer(2, LiveServices.MAX_MESH_CAP), LiveServices.DEFAULT_MESH_CAP,
            "Participants in one room's call (a full mesh: each peer sends its media to every other).");
    public static final ConfigKey<Boolean> LIVE_RELAY_ONLY_DEFAULT = key("live.relayOnlyDefault", bool(), false,
            "Privacy mode for rooms created without choosing: media only through the relay, and the server strips "
                    + "every client address from SDP and candidates.");
    public static final ConfigKey<List<String>> LIVE_EXTERNAL_TURN_URLS = key("live.externalTurnUrls",
            listOf(text(512, "(stun|stuns|turn|turns):[\\x21-\\x7e]+", "a stun:, stuns:, turn: or turns: URL"), 16),
            List.of(), "External relay mode: an external coturn's URLs handed to clients instead of this "
                    + "appliance's own STUN/TURN; empty = use the built-in relay.");
    public static final ConfigKey<List<String>> LIVE_EXTERNAL_TURN_SECRET = secret("live.externalTurnSecret",
            listOf(SECRET_TEXT, 1), List.of(), "The external coturn's static-auth-secret (a list of at most one "
                    + "item); required with live.externalTurnUrls.");

    // storage: persistent rooms and their chat
    public static final ConfigKey<String> STORAGE_URL = key("storage.url",
            text(2048, "(jdbc:(mysql|h2):[\\x21-\\x7e]*)?", "empty, a jdbc:mysql: or a jdbc:h2: URL"),
            "", "JDBC URL of the database that keeps named rooms and their chat (MySQL or MariaDB, e.g. "
                    + "jdbc:mysql://db:3306/presence); empty = an embedded H2 database in server.dataDir.");
    public static final ConfigKey<String> STORAGE_USER = key("storage.user", text(256, "[^\\x00-\\x1f]*",
            "printable text"), "", "Database user; ignored by the embedded database.");
    public static final ConfigKey<String> STORAGE_PASSWORD = secret("storage.password", SECRET_TEXT, "",
            "Database password; ignored by the embedded database. Never logged.");
    public static final ConfigKey<Integer> STORAGE_POOL_SIZE = key("storage.poolSize", integer(1, 256),
            StorageSettings.DEFAULT_POOL_SIZE, "Database connections, and the threads that run every database call "
                    + "(never an event loop); when their queue is full, actions on named rooms fail at once with "
                    + "storage_unavailable.");
    public static final ConfigKey<Duration> STORAGE_ROOM_IDLE_UNLOAD = key("storage.roomIdleUnload",
            duration(Duration.ZERO, Duration.ofDays(1)), Duration.ofMinutes(5), "How long a named room stays in "
                    + "memory after its last member left, for members coming back; then it is unloaded and costs "
                    + "only its id until a member joins it again. 0 = unload when empty. Unnamed rooms are gone "
                    + "when empty.");
    public static final ConfigKey<Boolean> STORAGE_GROUP_COMMIT = key("storage.groupCommit", bool(), true,
            "Write the chat messages that arrive while a commit runs together in the next transaction (each is "
                    + "still acknowledged only after its commit); false = one transaction per message, slower "
                    + "under load.");

    // auth: sign-in with signed tokens, and the throttle on failed sign-ins
    public static final ConfigKey<Boolean> AUTH_JWT_ENABLED = key("auth.jwt.enabled", bool(), true,
            "Sign-in with signed tokens (JWT, hello.auth provider jwt), verified with signaling.tokenKeys and the "
                    + "public keys below.");
    public static final ConfigKey<String> AUTH_JWT_PUBLIC_KEY_FILE = key("auth.jwt.publicKeyFile", PATH, "",
            "PEM file of public keys (PUBLIC KEY or CERTIFICATE blocks: RSA, EC P-256, Ed25519) that verify RS256, "
                    + "ES256 and EdDSA tokens; empty = none.");
    public static final ConfigKey<String> AUTH_JWT_JWKS_FILE = key("auth.jwt.jwksFile", PATH, "",
            "Local JWKS file of public keys (RSA, EC P-256, Ed25519) that verify RS256, ES256 and EdDSA tokens; "
                    + "read at start, never fetched from a URL; empty = none.");
    public static final ConfigKey<Duration> AUTH_JWT_CLOCK_SKEW = key("auth.jwt.clockSkew",
            duration(Duration.ZERO, Duration.ofMinutes(10)), JwtSettings.DEFAULT_CLOCK_SKEW,
            "Slack for the token issuer's clock when judging exp, nbf and iat.");
    public static final ConfigKey<Duration> AUTH_JWT_MAX_TTL = key("auth.jwt.maxTtl",
            duration(Duration.ofMinutes(1), Duration.ofDays(30)), JwtSettings.DEFAULT_MAX_TTL,
            "Longest token lifetime accepted (exp - iat, or exp - now without iat); presence token mints no longer.");
    public static final ConfigKey<String> AUTH_JWT_ISSUER = key("auth.jwt.issuer", text(256, "[\\x20-\\x7e]*",
            "printable ASCII"), "", "Required iss claim of every token (presence token sets it); empty = not checked.");
    public static final ConfigKey<String> AUTH_JWT_AUDIENCE = key("auth.jwt.audience", text(256, "[\\x20-\\x7e]*",
            "printable ASCII"), "", "Required aud claim of every token (presence token sets it); empty = not checked.");
    public static final ConfigKey<Integer> AUTH_THROTTLE_DELAY_AFTER = key("auth.throttle.delayAfter",
            integer(1, 1000), SignInThrottle.Settings.DEFAULT_DELAY_AFTER,
            "Failed sign-ins from one IPv4 address or IPv6 /64 within auth.throttle.window before each further "
                    + "hello waits (auth.throttle.delay, doubled per failure).");
    public static final ConfigKey<Integer> AUTH_THROTTLE_REFUSE_AFTER = key("auth.throttle.refuseAfter",
            integer(1, 100_000), SignInThrottle.Settings.DEFAULT_REFUSE_AFTER,
            "Failed sign-ins from one source within auth.throttle.window after which its hellos are refused at once "
                    + "(auth_failed) for auth.throttle.cooldown.");
    public static final ConfigKey<Duration> AUTH_THROTTLE_WINDOW = key("auth.throttle.window",
            duration(Duration.ofSeconds(1), Duration.ofDays(1)), SignInThrottle.Settings.DEFAULT_WINDOW,
            "How long a failed sign-in counts against its source.");
    public static final ConfigKey<Duration> AUTH_THROTTLE_DELAY = key("auth.throttle.delay",
            duration(Duration.ZERO, Duration.ofSeconds(10)), SignInThrottle.Settings.DEFAULT_DELAY,
            "The first wait of a throttled source; doubled for each further failure.");
    public static final ConfigKey<Duration> AUTH_THROTTLE_MAX_DELAY = key("auth.throttle.maxDelay",
            duration(Duration.ZERO, Duration.ofMinutes(1)), SignInThrottle.Settings.DEFAULT_MAX_DELAY,
            "The longest wait; below signaling.helloTimeout, or throttled clients would time out instead.");
    public static final ConfigKey<Duration> AUTH_THROTTLE_COOLDOWN = key("auth.throttle.cooldown",
            duration(Duration.ZERO, Duration.ofDays(1)), SignInThrottle.Settings.DEFAULT_COOLDOWN,
            "How long a source that reached auth.throttle.refuseAfter stays refused.");

    // auth.guest and invites: guests signing in with an invite to a named room, and the invites' lifetimes
    public static final ConfigKey<Boolean> AUTH_GUEST_ENABLED = key("auth.guest.enabled", bool(), true,
            "Sign-in without an account with an invite (hello.auth provider guest): the guest joins the invite's "
                    + "room only, as role guest. Guests only ever reach a room through an invite its owner or an "
                    + "admin made.");
    public static final ConfigKey<Duration> INVITES_DEFAULT_TTL = key("invites.defaultTtl",
            duration(InviteSettings.MIN_TTL, Duration.ofDays(365)), InviteSettings.DEFAULT.defaultTtl(),
            "Lifetime of an invite whose creator names no ttl; at most invites.maxTtl.");
    public static final ConfigKey<Duration> INVITES_MAX_TTL = key("invites.maxTtl",
            duration(InviteSettings.MIN_TTL, Duration.ofDays(365)), InviteSettings.DEFAULT.maxTtl(),
            "Longest lifetime a creator may give an invite (invite.create ttl); longer is refused (invalid_field).");
    // auth.friend: sign-in with a Friend session, checked with FriendCore
    public static final ConfigKey<Boolean> AUTH_FRIEND_ENABLED = key("auth.friend.enabled", bool(), false,
            "Sign-in with a Friend session (hello.auth provider friend: authId and login), checked with FriendCore "
                    + "at auth.friend.url.");
    public static final ConfigKey<String> AUTH_FRIEND_URL = key("auth.friend.url",
            text(2048, "|https?://[^\\s]+", "empty or an http(s) URL"), "",
            "FriendCore's base address, e.g. https://friend.example.org; https is required except towards loopback "
                    + "(127.0.0.1, ::1, localhost). Needed when auth.friend.enabled is true.");
    public static final ConfigKey<String> AUTH_FRIEND_CA_FILE = key("auth.friend.caFile", PATH, "",
            "PEM file of CA certificates trusted for FriendCore in addition to the JDK's (a private or self-signed "
                    + "FriendCore); the certificate must still name the URL's host. Empty = the JDK's CAs only.");
    public static final ConfigKey<Duration> AUTH_FRIEND_TIMEOUT = key("auth.friend.timeout",
            duration(Duration.ofMillis(100), Duration.ofMinutes(1)), FriendSettings.DEFAULT_TIMEOUT,
            "How long to wait for FriendCore to accept a connection, and then for its answer; the client gets "
                    + "auth_failed after it.");
    public static final ConfigKey<Duration> AUTH_FRIEND_CACHE_TTL = key("auth.friend.cacheTtl",
            duration(Duration.ZERO, Duration.ofHours(1)), FriendSettings.DEFAULT_CACHE_TTL,
            "How long a Friend session FriendCore vouched for is believed without asking again; 0 = ask every time.");
    public static final ConfigKey<Integer> AUTH_FRIEND_CACHE_SIZE = key("auth.friend.cacheSize",
            integer(1, 1_000_000), FriendSettings.DEFAULT_CACHE_SIZE,
            "Friend sessions remembered at once; the oldest is forgotten first.");
    // api: the host-platform API on the public signaling listener (/api/v1/, signaling/API.md)
    public static final ConfigKey<Boolean> API_ENABLED = key("api.enabled", bool(), false,
            "Serve the host-platform API under /api/v1/ on the signaling listeners (signaling.wsPort, wssPort); "
                    + "needs api.keys.");
    public static final ConfigKey<List<String>> API_KEYS = secret("api.keys", listOf(SECRET_TEXT, 16), List.of(),
            "API keys of the host platform: each works as 'Authorization: Bearer <key>' and as the HMAC-SHA256 key of "
                    + "a signed request (rotation: add the new key, move the platform, remove the old). Each at "
                    + "least 128 bits of randomness. Never logged.");
    public static final ConfigKey<Duration> API_REPLAY_WINDOW = key("api.replayWindow",
            duration(Duration.ofSeconds(10), Duration.ofHours(1)), Duration.ofMinutes(5),
            "How far a signed API request's X-Presence-Timestamp may be from this server's clock; each signature "
                    + "is accepted once within it.");

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
            SERVER_DATA_DIR, SERVER_PUBLIC_HOST, SERVER_IO_THREADS, SERVER_NATIVE_TRANSPORT, SERVER_DESCRIPTOR_RESERVE,
            SERVER_SHUTDOWN_GRACE, SERVER_TRUSTED_PROXIES,
            STUN_HOST, STUN_PORT, STUN_TCP_ENABLED, STUN_TLS_PORT, STUN_TLS_CERTIFICATE, STUN_TLS_PRIVATE_KEY, STUN_ALTERNATE,
            STUN_MAX_FRAME_BYTES, STUN_IDLE_TIMEOUT, STUN_UNAUTHENTICATED_IDLE_TIMEOUT, STUN_FIRST_MESSAGE_TIMEOUT,
            STUN_MAX_CONNECTIONS, STUN_MAX_CONNECTIONS_PER_IP, STUN_CLIENT_SOCKETS,
            TURN_REALM, TURN_SECRETS, TURN_ALLOW_WEAK_SECRETS, TURN_MAX_CREDENTIAL_TTL, TURN_ALLOCATION_LIFETIME, TURN_MAX_ALLOCATION_LIFETIME,
            TURN_NONCE_LIFETIME, TURN_RELAY_IPV4, TURN_RELAY_IPV6, TURN_EXTERNAL_IPV4, TURN_EXTERNAL_IPV6,
            TURN_RELAY_PORT_MIN, TURN_RELAY_PORT_MAX, TURN_ALLOW_PEERS, TURN_DENY_PEERS,
            TURN_ALLOCATIONS_PER_PARTICIPANT, TURN_ALLOCATIONS_PER_ROOM, TURN_MAX_ALLOCATIONS,
            TURN_PERMISSIONS_PER_ALLOCATION, TURN_CHANNELS_PER_ALLOCATION, TURN_BANDWIDTH_PER_ALLOCATION,
            TURN_BANDWIDTH_TOTAL, TURN_UNAUTHENTICATED_RATE, TURN_UNAUTHENTICATED_BURST, TURN_PEER_SOCKETS,
            SIGNALING_HOST, SIGNALING_WS_PORT, SIGNALING_TCP_PORT, SIGNALING_WS_ENABLED, SIGNALING_WSS_ENABLED,
            SIGNALING_TCP_ENABLED, SIGNALING_WS_PATH, SIGNALING_WSS_PORT,
            SIGNALING_TCP_TLS, SIGNALING_TLS_CERTIFICATE, SIGNALING_TLS_PRIVATE_KEY, SIGNALING_ALLOWED_ORIGINS,
            SIGNALING_MAX_FRAME_BYTES, SIGNALING_HELLO_TIMEOUT, SIGNALING_MAX_CONNECTIONS,
            SIGNALING_MAX_CONNECTIONS_PER_IP, SIGNALING_PING_INTERVAL, SIGNALING_PING_GRACE,
            SIGNALING_RESUME_GRACE, SIGNALING_RESUME_BUFFER_EVENTS, SIGNALING_OUTBOUND_QUEUE,
            SIGNALING_MEMBERS_PER_ROOM, SIGNALING_ROOMS_PER_SESSION, SIGNALING_MAX_TEXT_LENGTH,
            SIGNALING_MESSAGES_PER_SECOND, SIGNALING_MESSAGE_BURST, SIGNALING_RATE_LIMIT_CLOSE_AFTER,
            SIGNALING_HISTORY_SIZE, SIGNALING_TYPING_TIMEOUT, SIGNALING_CHAT_EDIT_WINDOW,
            SIGNALING_SINGLE_SESSION, SIGNALING_DEV_AUTH,
            SIGNALING_TOKEN_KEYS,
            LIVE_CREDENTIAL_TTL, LIVE_MESH_CAP, LIVE_RELAY_ONLY_DEFAULT, LIVE_EXTERNAL_TURN_URLS,
            LIVE_EXTERNAL_TURN_SECRET,
            STORAGE_URL, STORAGE_USER, STORAGE_PASSWORD, STORAGE_POOL_SIZE, STORAGE_ROOM_IDLE_UNLOAD, STORAGE_GROUP_COMMIT,
            AUTH_JWT_ENABLED, AUTH_JWT_PUBLIC_KEY_FILE, AUTH_JWT_JWKS_FILE, AUTH_JWT_CLOCK_SKEW, AUTH_JWT_MAX_TTL,
            AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE,
            AUTH_THROTTLE_DELAY_AFTER, AUTH_THROTTLE_REFUSE_AFTER, AUTH_THROTTLE_WINDOW, AUTH_THROTTLE_DELAY,
            AUTH_THROTTLE_MAX_DELAY, AUTH_THROTTLE_COOLDOWN,
            AUTH_GUEST_ENABLED, INVITES_DEFAULT_TTL, INVITES_MAX_TTL,
            AUTH_FRIEND_ENABLED, AUTH_FRIEND_URL, AUTH_FRIEND_CA_FILE, AUTH_FRIEND_TIMEOUT, AUTH_FRIEND_CACHE_TTL,
            AUTH_FRIEND_CACHE_SIZE,
            API_ENABLED, API_KEYS, API_REPLAY_WINDOW,
            METRICS_HOST, METRICS_PORT,
            LOGGING_LEVEL, LOGGING_LEVELS, LOGGING_FILE, LOGGING_MAX_FILE_SIZE, LOGGING_MAX_HISTORY);

    private static <T> ConfigKey<T> key(String path, ValueType<T> type, T def, String description) {
        return new ConfigKey<>(path, type, def, description, false);
    }

    private static <T> ConfigKey<T> secret(String path, ValueType<T> type, T def, String description) {
        return new ConfigKey<>(path, type, def, description, true);
    }
}
