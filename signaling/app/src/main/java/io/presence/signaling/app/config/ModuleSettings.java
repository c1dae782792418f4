package io.presence.signaling.app.config;

import io.presence.signaling.jdbc.StorageSettings;

import io.presence.net.TlsKeyMaterial;
import io.presence.signaling.live.IceServers;
import io.presence.signaling.session.SignalingSettings;
import io.presence.stun.server.StunSettings;
import io.presence.turn.config.TurnSettings;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static io.presence.signaling.app.config.ConfigSchema.*;

/**
 * Maps the configuration's sections onto the modules' own settings records. Rules that span several keys
 * (a certificate needs its key; RFC 5780 needs a specific bind address) are checked here, so that
 * {@code check-config} reports them as one line naming the key, like every other invalid value.
 */
public final class ModuleSettings {

    /** The port the signaling settings take for a listener that is not opened (0 means "any free port"). */
    private static final int DISABLED = -1;

    private ModuleSettings() {
    }

    /** Builds every module's settings once, turning their constructors' objections into ConfigExceptions. */
    public static void check(PresenceConfig config) throws ConfigException {
        requireStrong(config, TURN_SECRETS);
        requireStrong(config, LIVE_EXTERNAL_TURN_SECRET);
        stun(config);
        // Generated secrets are made at start; a placeholder lets the rest of the turn section be checked now.
        turn(config, config.turn().secrets().isEmpty() ? List.of("placeholder") : null);
        signaling(config);
        liveExternal(config);
        storage(config);
        SignInConfig.check(config);
        InviteConfig.invites(config);
        ApiConfig.settings(config);
    }

    /** The database: {@code storage.*}, its embedded default in {@code server.dataDir}. */
    public static StorageSettings storage(PresenceConfig config) throws ConfigException {
        ConfigValues v = config.values();
        return new StorageSettings(v.get(STORAGE_URL), v.get(STORAGE_USER), v.get(STORAGE_PASSWORD),
                v.get(STORAGE_POOL_SIZE), StorageSettings.DEFAULT_QUEUE_SIZE, config.server().dataDir())
                .withGroupCommit(v.get(STORAGE_GROUP_COMMIT));
    }

    /** How long a persistent room stays loaded once empty: {@code storage.roomIdleUnload}. */
    public static Duration roomIdleUnload(PresenceConfig config) {
        return config.values().get(STORAGE_ROOM_IDLE_UNLOAD);
    }

    /**
     * Refuses a TURN secret under {@link SecretStrength#MIN_BITS} bits unless {@code turn.allowWeakSecrets} says the
     * setup is a test. Generated secrets (256 random bits) need no check.
     */
    private static void requireStrong(PresenceConfig config, ConfigKey<List<String>> key) throws ConfigException {
        ConfigValues v = config.values();
        if (v.get(TURN_ALLOW_WEAK_SECRETS)) {
            return;
        }
        List<Secret> secrets = v.secrets(key);
        for (int i = 0; i < secrets.size(); i++) {
            Optional<String> weakness = SecretStrength.weakness(secrets.get(i).reveal());
            if (weakness.isPresent()) {
                throw new ConfigException(key.path(), secrets.get(i).toString(), "item " + (i + 1) + " is weak: "
                        + weakness.get(), SecretStrength.ALLOWED + "; or " + TURN_ALLOW_WEAK_SECRETS.path()
                        + ": true for a test setup");
            }
        }
    }

    /**
     * External relay mode, or empty for the built-in relay: the coturn URLs and its shared secret, which must be
     * configured together.
     */
    public static Optional<ExternalRelay> liveExternal(PresenceConfig config) throws ConfigException {
        ConfigValues v = config.values();
        List<String> urls = v.get(LIVE_EXTERNAL_TURN_URLS);
        List<Secret> secret = v.secrets(LIVE_EXTERNAL_TURN_SECRET);
        if (urls.isEmpty() && secret.isEmpty()) {
            return Optional.empty();
        }
        if (urls.isEmpty()) {
            throw new ConfigException(LIVE_EXTERNAL_TURN_URLS.path(), "[]", "live.externalTurnSecret is set",
                    "the external coturn's URLs");
        }
        if (secret.isEmpty() || secret.get(0).reveal().isEmpty()) {
            throw new ConfigException(LIVE_EXTERNAL_TURN_SECRET.path(), null, "missing: external relay mode needs "
                    + "the coturn static-auth-secret", "one secret");
        }
        try {
            return Optional.of(new ExternalRelay(IceServers.external(urls), secret.get(0)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(LIVE_EXTERNAL_TURN_URLS.path(), null, e.getMessage(), null);
        }
    }

    /** An external coturn: the URLs clients get and the secret credentials are minted with. */
    public record ExternalRelay(IceServers iceServers, Secret secret) { }

    /**
     * The host clients reach this appliance's STUN/TURN at: see {@link PublicHost} for the rules, with this
     * machine's interfaces.
     */
    public static String iceHost(PresenceConfig config) {
        return PublicHost.choose(config, HostAddresses.system()).host();
    }

    /**
     * @param secrets the relay's secrets in order (first mints); {@code null} = the configured ones
     */
    public static TurnSettings turn(PresenceConfig config, List<String> secrets) throws ConfigException {
        ConfigValues v = config.values();
        if (v.get(TURN_RELAY_PORT_MIN) > v.get(TURN_RELAY_PORT_MAX)) {
            throw new ConfigException(TURN_RELAY_PORT_MIN.path(), String.valueOf(v.get(TURN_RELAY_PORT_MIN)),
                    "greater than turn.relayPortMax (" + v.get(TURN_RELAY_PORT_MAX) + ")", "at most turn.relayPortMax");
        }
        List<String> effective = secrets != null ? secrets
                : config.turn().secrets().stream().map(Secret::reveal).toList();
        TurnSettings.Builder b = TurnSettings.builder()
                .listener(stun(config))
                .realm(config.turn().realm())
                .secrets(effective)
                .maxCredentialTtl(v.get(TURN_MAX_CREDENTIAL_TTL))
                .allocationDefaultLifetime(v.get(TURN_ALLOCATION_LIFETIME))
                .allocationMaxLifetime(v.get(TURN_MAX_ALLOCATION_LIFETIME))
                .nonceLifetime(v.get(TURN_NONCE_LIFETIME))
                .relayIpv4(ip(TURN_RELAY_IPV4, v.get(TURN_RELAY_IPV4), Inet4Address.class))
                .relayIpv6(ip(TURN_RELAY_IPV6, v.get(TURN_RELAY_IPV6), Inet6Address.class))
                .externalIpv4(ip(TURN_EXTERNAL_IPV4, v.get(TURN_EXTERNAL_IPV4), Inet4Address.class))
                .externalIpv6(ip(TURN_EXTERNAL_IPV6, v.get(TURN_EXTERNAL_IPV6), Inet6Address.class))
                .relayPorts(v.get(TURN_RELAY_PORT_MIN), v.get(TURN_RELAY_PORT_MAX))
                .unauthenticatedRate(v.get(TURN_UNAUTHENTICATED_RATE), v.get(TURN_UNAUTHENTICATED_BURST))
                .peerSockets(v.get(TURN_PEER_SOCKETS));
        try {
            b.quotas(new TurnSettings.Quotas(v.get(TURN_ALLOCATIONS_PER_PARTICIPANT), v.get(TURN_ALLOCATIONS_PER_ROOM),
                    v.get(TURN_MAX_ALLOCATIONS), v.get(TURN_PERMISSIONS_PER_ALLOCATION),
                    v.get(TURN_CHANNELS_PER_ALLOCATION), v.get(TURN_BANDWIDTH_PER_ALLOCATION),
                    v.get(TURN_BANDWIDTH_TOTAL)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("turn", null, e.getMessage(), null);
        }
        try {
            b.allowPeers(v.get(TURN_ALLOW_PEERS)).denyPeers(v.get(TURN_DENY_PEERS));
            return b.build();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            String key = message.contains("allow") ? TURN_ALLOW_PEERS.path()
                    : message.contains("deny") ? TURN_DENY_PEERS.path() : "turn";
            throw new ConfigException(key, null, message, null);
        }
    }

    private static InetAddress ip(ConfigKey<String> key, String text, Class<? extends InetAddress> family)
            throws ConfigException {
        if (text.isEmpty()) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            if (!family.isInstance(a)) {
                throw new UnknownHostException();
            }
            return a;
        } catch (UnknownHostException e) {
            throw new ConfigException(key.path(), "\"" + text + "\"", "not an address of that family",
                    key.type().allowed());
        }
    }

    public static SignalingSettings signaling(PresenceConfig config) throws ConfigException {
        ConfigValues v = config.values();
        String host = v.get(SIGNALING_HOST);
        SignalingSettings.Builder b = SignalingSettings.builder()
                .ws(host, v.get(SIGNALING_WS_ENABLED) ? v.get(SIGNALING_WS_PORT) : DISABLED)
                .wsPath(v.get(SIGNALING_WS_PATH))
                .wssPort(v.get(SIGNALING_WSS_ENABLED) ? v.get(SIGNALING_WSS_PORT) : DISABLED)
                .tcp(host, v.get(SIGNALING_TCP_ENABLED) ? v.get(SIGNALING_TCP_PORT) : DISABLED)
                .tcpTls(v.get(SIGNALING_TCP_TLS))
                .allowedOrigins(v.get(SIGNALING_ALLOWED_ORIGINS))
                .maxFrameBytes(v.get(SIGNALING_MAX_FRAME_BYTES))
                .helloTimeout(v.get(SIGNALING_HELLO_TIMEOUT))
                .ping(v.get(SIGNALING_PING_INTERVAL), v.get(SIGNALING_PING_GRACE))
                .resumeGrace(v.get(SIGNALING_RESUME_GRACE))
                .resumeBufferEvents(v.get(SIGNALING_RESUME_BUFFER_EVENTS))
                .outboundQueueMessages(v.get(SIGNALING_OUTBOUND_QUEUE))
                .membersPerRoom(v.get(SIGNALING_MEMBERS_PER_ROOM))
                .roomsPerSession(v.get(SIGNALING_ROOMS_PER_SESSION))
                .maxTextLength(v.get(SIGNALING_MAX_TEXT_LENGTH))
                .messageRate(v.get(SIGNALING_MESSAGES_PER_SECOND), v.get(SIGNALING_MESSAGE_BURST))
                .rateLimitCloseAfter(v.get(SIGNALING_RATE_LIMIT_CLOSE_AFTER))
                .historySize(v.get(SIGNALING_HISTORY_SIZE))
                .typingTimeout(v.get(SIGNALING_TYPING_TIMEOUT))
                .chatEditWindow(v.get(SIGNALING_CHAT_EDIT_WINDOW))
                .singleSessionPerUser(v.get(SIGNALING_SINGLE_SESSION))
                .devAuthEnabled(v.get(SIGNALING_DEV_AUTH));
        String cert = v.get(SIGNALING_TLS_CERTIFICATE);
        String key = v.get(SIGNALING_TLS_PRIVATE_KEY);
        if (!cert.isEmpty() || !key.isEmpty()) {
            requireTlsFiles(SIGNALING_TLS_CERTIFICATE, cert, SIGNALING_TLS_PRIVATE_KEY, key);
            b.tls(new SignalingSettings.Tls(Path.of(cert), Path.of(key)));
        } else if (v.get(SIGNALING_TCP_TLS)) {
            throw new ConfigException(SIGNALING_TCP_TLS.path(), "true", "needs signaling.tlsCertificate",
                    "false, or true with a certificate");
        }
        boolean wss = !cert.isEmpty() && v.get(SIGNALING_WSS_ENABLED);
        if (!v.get(SIGNALING_WS_ENABLED) && !wss && !v.get(SIGNALING_TCP_ENABLED)) {
            throw new ConfigException(SIGNALING_WS_ENABLED.path(), "false", "every signaling listener would be off "
                    + "(signaling.tcpEnabled is false, and no WSS: signaling.tlsCertificate unset or "
                    + "signaling.wssEnabled false)", "at least one signaling listener enabled");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("signaling", null, String.valueOf(e.getMessage()), null);
        }
    }

    public static StunSettings stun(PresenceConfig config) throws ConfigException {
        PresenceConfig.Stun s = config.stun();
        Optional<StunSettings.Tls> tls = Optional.empty();
        if (!s.tlsCertificate().isEmpty() || !s.tlsPrivateKey().isEmpty()) {
            requireTlsFiles(STUN_TLS_CERTIFICATE, s.tlsCertificate(), STUN_TLS_PRIVATE_KEY, s.tlsPrivateKey());
            tls = Optional.of(new StunSettings.Tls(s.tlsPort(), Path.of(s.tlsCertificate()),
                    Path.of(s.tlsPrivateKey())));
        }
        Optional<InetSocketAddress> alternate = Optional.empty();
        if (!s.alternate().isEmpty()) {
            int colon = s.alternate().lastIndexOf(':');
            String host = s.alternate().substring(0, colon).replace("[", "").replace("]", "");
            alternate = Optional.of(new InetSocketAddress(host, Integer.parseInt(s.alternate().substring(colon + 1))));
        }
        try {
            return new StunSettings(s.bind().getHostString(), s.bind().getPort(), tls, alternate, s.maxFrameBytes(),
                    s.idleTimeout(), Optional.empty(), StunSettings.AUTO,
                    s.clientSockets(), ConnectionBudget.current(config.values()).stun(),
                    config.values().get(STUN_FIRST_MESSAGE_TIMEOUT), config.values().get(STUN_UNAUTHENTICATED_IDLE_TIMEOUT),
                    config.values().get(STUN_TCP_ENABLED));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(alternate.isPresent() ? STUN_ALTERNATE.path() : STUN_HOST.path(),
                    null, e.getMessage(), null);
        }
    }

    /**
     * Both files present and loadable by the same loader the TLS listeners use ({@link TlsKeyMaterial}), so a pair
     * the check accepts is a pair the listeners serve.
     */
    private static void requireTlsFiles(ConfigKey<String> certificateKey, String certificate,
                                        ConfigKey<String> privateKeyKey, String privateKey) throws ConfigException {
        requireFile(certificateKey, certificate);
        requireFile(privateKeyKey, privateKey);
        try {
            TlsKeyMaterial.load(Path.of(certificate), Path.of(privateKey));
        } catch (TlsKeyMaterial.Unusable e) {
            if (e.part() == TlsKeyMaterial.Part.CERTIFICATE_CHAIN) {
                throw new ConfigException(certificateKey.path(), "\"" + certificate + "\"", e.getMessage(),
                        TlsKeyMaterial.CHAIN_ALLOWED);
            }
            throw new ConfigException(privateKeyKey.path(), "\"" + privateKey + "\"", e.getMessage(),
                    TlsKeyMaterial.KEY_ALLOWED + ", of the first certificate in " + certificateKey.path());
        }
    }

    private static void requireFile(ConfigKey<String> key, String path) throws ConfigException {
        if (path.isEmpty()) {
            throw new ConfigException(key.path(), null, "missing: a TLS listener needs both certificate and key",
                    "a readable PEM file");
        }
        if (!Files.isReadable(Path.of(path))) {
            throw new ConfigException(key.path(), "\"" + path + "\"", "file does not exist or cannot be read",
                    "a readable PEM file");
        }
    }
}
