package io.presence.signaling.app.config;

import io.presence.signaling.room.LiveServices;
import io.presence.signaling.session.SignalingSettings;
import io.presence.signaling.transport.SignalingServer;
import io.presence.stun.server.StunSettings;
import io.presence.turn.config.TurnSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.presence.signaling.app.config.ConfigSchema.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The default each key documents (presence.example.yaml, check-config) is the default of the module that reads it:
 * the module's settings built with no configuration carry the schema's default, and so do the module's own
 * defaults (what its tests and tools run with). A default changed on one side only fails here.
 */
class DefaultsAgreementTest {

    /** Signaling keys and where each one lands in {@link SignalingSettings}. */
    private static final Map<ConfigKey<?>, Function<SignalingSettings, Object>> SIGNALING = new LinkedHashMap<>();
    /** Turn keys and where each one lands in {@link TurnSettings}. */
    private static final Map<ConfigKey<?>, Function<TurnSettings, Object>> TURN = new LinkedHashMap<>();
    /** Live keys and where each one lands in {@link LiveServices}. */
    private static final Map<ConfigKey<?>, Function<LiveServices, Object>> LIVE = new LinkedHashMap<>();
    /** Stun keys and where each one lands in {@link StunSettings}. */
    private static final Map<ConfigKey<?>, Function<StunSettings, Object>> STUN = new LinkedHashMap<>();
    /**
     * Keys of those sections with no counterpart in the module's defaults, each with the reason. A new key must be
     * added to a map above or here.
     */
    private static final Map<ConfigKey<?>, String> APPLIANCE_ONLY = new LinkedHashMap<>();

    static {
        SIGNALING.put(SIGNALING_HOST, SignalingSettings::wsHost);
        SIGNALING.put(SIGNALING_WS_PORT, SignalingSettings::wsPort);
        SIGNALING.put(SIGNALING_TCP_PORT, SignalingSettings::tcpPort);
        SIGNALING.put(SIGNALING_WS_ENABLED, s -> s.wsPort() != -1);
        SIGNALING.put(SIGNALING_WSS_ENABLED, s -> s.wssPort() != -1);
        SIGNALING.put(SIGNALING_TCP_ENABLED, s -> s.tcpPort() != -1);
        SIGNALING.put(SIGNALING_WS_PATH, SignalingSettings::wsPath);
        SIGNALING.put(SIGNALING_WSS_PORT, SignalingSettings::wssPort);
        SIGNALING.put(SIGNALING_TCP_TLS, SignalingSettings::tcpTls);
        SIGNALING.put(SIGNALING_TLS_CERTIFICATE, s -> s.tls() == null ? "" : s.tls().certificateChain().toString());
        SIGNALING.put(SIGNALING_TLS_PRIVATE_KEY, s -> s.tls() == null ? "" : s.tls().privateKey().toString());
        SIGNALING.put(SIGNALING_ALLOWED_ORIGINS, SignalingSettings::allowedOrigins);
        SIGNALING.put(SIGNALING_MAX_FRAME_BYTES, SignalingSettings::maxFrameBytes);
        SIGNALING.put(SIGNALING_HELLO_TIMEOUT, SignalingSettings::helloTimeout);
        SIGNALING.put(SIGNALING_PING_INTERVAL, SignalingSettings::pingInterval);
        SIGNALING.put(SIGNALING_PING_GRACE, SignalingSettings::pingGrace);
        SIGNALING.put(SIGNALING_RESUME_GRACE, SignalingSettings::resumeGrace);
        SIGNALING.put(SIGNALING_RESUME_BUFFER_EVENTS, SignalingSettings::resumeBufferEvents);
        SIGNALING.put(SIGNALING_OUTBOUND_QUEUE, SignalingSettings::outboundQueueMessages);
        SIGNALING.put(SIGNALING_MEMBERS_PER_ROOM, SignalingSettings::membersPerRoom);
        SIGNALING.put(SIGNALING_ROOMS_PER_SESSION, SignalingSettings::roomsPerSession);
        SIGNALING.put(SIGNALING_MAX_TEXT_LENGTH, SignalingSettings::maxTextLength);
        SIGNALING.put(SIGNALING_MESSAGES_PER_SECOND, SignalingSettings::messagesPerSecond);
        SIGNALING.put(SIGNALING_MESSAGE_BURST, SignalingSettings::messageBurst);
        SIGNALING.put(SIGNALING_RATE_LIMIT_CLOSE_AFTER, SignalingSettings::rateLimitCloseAfter);
        SIGNALING.put(SIGNALING_HISTORY_SIZE, SignalingSettings::historySize);
        SIGNALING.put(SIGNALING_TYPING_TIMEOUT, SignalingSettings::typingTimeout);
        SIGNALING.put(SIGNALING_CHAT_EDIT_WINDOW, SignalingSettings::chatEditWindow);
        SIGNALING.put(SIGNALING_SINGLE_SESSION, SignalingSettings::singleSessionPerUser);
        SIGNALING.put(SIGNALING_DEV_AUTH, SignalingSettings::devAuthEnabled);

        TURN.put(TURN_REALM, TurnSettings::realm);
        TURN.put(TURN_ALLOCATION_LIFETIME, TurnSettings::allocationDefaultLifetime);
        TURN.put(TURN_MAX_ALLOCATION_LIFETIME, TurnSettings::allocationMaxLifetime);
        TURN.put(TURN_NONCE_LIFETIME, TurnSettings::nonceLifetime);
        TURN.put(TURN_RELAY_IPV4, t -> address(t.relayIpv4()));
        TURN.put(TURN_RELAY_IPV6, t -> address(t.relayIpv6()));
        TURN.put(TURN_EXTERNAL_IPV4, t -> address(t.externalIpv4()));
        TURN.put(TURN_EXTERNAL_IPV6, t -> address(t.externalIpv6()));
        TURN.put(TURN_RELAY_PORT_MIN, TurnSettings::relayPortMin);
        TURN.put(TURN_RELAY_PORT_MAX, TurnSettings::relayPortMax);
        TURN.put(TURN_ALLOW_PEERS, TurnSettings::allowPeers);
        TURN.put(TURN_DENY_PEERS, TurnSettings::denyPeers);
        TURN.put(TURN_ALLOCATIONS_PER_PARTICIPANT, t -> t.quotas().allocationsPerParticipant());
        TURN.put(TURN_ALLOCATIONS_PER_ROOM, t -> t.quotas().allocationsPerRoom());
        TURN.put(TURN_MAX_ALLOCATIONS, t -> t.quotas().allocations());
        TURN.put(TURN_PERMISSIONS_PER_ALLOCATION, t -> t.quotas().permissionsPerAllocation());
        TURN.put(TURN_CHANNELS_PER_ALLOCATION, t -> t.quotas().channelsPerAllocation());
        TURN.put(TURN_BANDWIDTH_PER_ALLOCATION, t -> t.quotas().bandwidthPerAllocation());
        TURN.put(TURN_BANDWIDTH_TOTAL, t -> t.quotas().bandwidthTotal());
        TURN.put(TURN_UNAUTHENTICATED_RATE, TurnSettings::unauthenticatedRate);
        TURN.put(TURN_UNAUTHENTICATED_BURST, TurnSettings::unauthenticatedBurst);
        TURN.put(TURN_PEER_SOCKETS, TurnSettings::peerSockets);

        STUN.put(STUN_HOST, StunSettings::bindHost);
        STUN.put(STUN_PORT, StunSettings::port);
        STUN.put(STUN_TCP_ENABLED, StunSettings::tcpEnabled);
        STUN.put(STUN_TLS_CERTIFICATE, s -> s.tls().map(t -> t.certificateChain().toString()).orElse(""));
        STUN.put(STUN_TLS_PRIVATE_KEY, s -> s.tls().map(t -> t.privateKey().toString()).orElse(""));
        STUN.put(STUN_ALTERNATE, s -> s.alternate().map(Object::toString).orElse(""));
        STUN.put(STUN_MAX_FRAME_BYTES, StunSettings::maxFrameBytes);
        STUN.put(STUN_IDLE_TIMEOUT, StunSettings::idleTimeout);
        STUN.put(STUN_UNAUTHENTICATED_IDLE_TIMEOUT, StunSettings::unauthenticatedIdleTimeout);
        STUN.put(STUN_FIRST_MESSAGE_TIMEOUT, StunSettings::firstMessageTimeout);
        STUN.put(STUN_MAX_CONNECTIONS_PER_IP, s -> s.connections().maxPerSource());
        STUN.put(STUN_CLIENT_SOCKETS, StunSettings::clientSockets);

        LIVE.put(LIVE_CREDENTIAL_TTL, LiveServices::credentialTtl);
        LIVE.put(LIVE_MESH_CAP, LiveServices::meshCap);
        LIVE.put(LIVE_RELAY_ONLY_DEFAULT, LiveServices::relayOnlyDefault);

        APPLIANCE_ONLY.put(LIVE_EXTERNAL_TURN_URLS, "none = the built-in relay");
        APPLIANCE_ONLY.put(LIVE_EXTERNAL_TURN_SECRET, "only with live.externalTurnUrls");
        APPLIANCE_ONLY.put(SIGNALING_MAX_CONNECTIONS, "0 = computed from the descriptor limit (ConnectionBudget)");
        APPLIANCE_ONLY.put(SIGNALING_MAX_CONNECTIONS_PER_IP, "SignalingServer's limits, checked below");
        APPLIANCE_ONLY.put(STUN_MAX_CONNECTIONS, "0 = computed from the descriptor limit (ConnectionBudget)");
        APPLIANCE_ONLY.put(STUN_TLS_PORT, "no TLS listener by default; the port is checked below");
        APPLIANCE_ONLY.put(TURN_SECRETS, "none = generated in server.dataDir");
        APPLIANCE_ONLY.put(SIGNALING_TOKEN_KEYS, "none = generated in server.dataDir; the auth section is compared in "
                + "SignInConfigTest");
        APPLIANCE_ONLY.put(TURN_ALLOW_WEAK_SECRETS, "a check of the configuration, not a relay setting");
        APPLIANCE_ONLY.put(TURN_MAX_CREDENTIAL_TTL, "the appliance caps credentials shorter than the relay library "
                + "(see ConfigSchema)");
    }

    private static Object address(Optional<java.net.InetAddress> a) {
        return a.map(java.net.InetAddress::getHostAddress).orElse("");
    }

    @Test
    void everyKeyOfTheModuleSectionsIsCompared() {
        List<String> unmapped = new ArrayList<>();
        for (ConfigKey<?> key : ConfigSchema.ALL) {
            String section = key.path().substring(0, key.path().indexOf('.'));
            boolean mapped = switch (section) {
                case "signaling" -> SIGNALING.containsKey(key);
                case "turn" -> TURN.containsKey(key);
                case "stun" -> STUN.containsKey(key);
                case "live" -> LIVE.containsKey(key);
                default -> true;
            };
            if (!mapped && !APPLIANCE_ONLY.containsKey(key)) {
                unmapped.add(key.path());
            }
        }
        assertEquals(List.of(), unmapped, "keys whose default is not compared with their module's");
    }

    @Test
    void signalingDefaultsAgree() throws ConfigException {
        SignalingSettings fromEmptyConfig = ModuleSettings.signaling(PresenceConfig.defaults());
        SignalingSettings moduleDefaults = SignalingSettings.defaults();
        SIGNALING.forEach((key, field) -> {
            assertSame(key, field.apply(fromEmptyConfig), "settings built from an empty configuration");
            assertSame(key, field.apply(moduleDefaults), "SignalingSettings.defaults()");
        });
        assertSame(SIGNALING_MAX_CONNECTIONS_PER_IP, SignalingServer.DEFAULT_CONNECTION_LIMITS.maxPerSource(),
                "SignalingServer.DEFAULT_CONNECTION_LIMITS");
    }

    @Test
    void turnDefaultsAgree() throws ConfigException {
        List<String> secrets = List.of("a-secret-only-for-this-test-0123456789");
        TurnSettings fromEmptyConfig = ModuleSettings.turn(PresenceConfig.defaults(), secrets);
        TurnSettings moduleDefaults = TurnSettings.builder().secrets(secrets).build();
        TURN.forEach((key, field) -> {
            assertSame(key, field.apply(fromEmptyConfig), "settings built from an empty configuration");
            assertSame(key, field.apply(moduleDefaults), "TurnSettings.builder()");
        });
        assertSame(TURN_MAX_CREDENTIAL_TTL, fromEmptyConfig.maxCredentialTtl(),
                "settings built from an empty configuration");
    }

    @Test
    void stunDefaultsAgree() throws ConfigException {
        StunSettings fromEmptyConfig = ModuleSettings.stun(PresenceConfig.defaults());
        StunSettings moduleDefaults = StunSettings.defaults();
        STUN.forEach((key, field) -> {
            assertSame(key, field.apply(fromEmptyConfig), "settings built from an empty configuration");
            assertSame(key, field.apply(moduleDefaults), "StunSettings.defaults()");
        });
        assertSame(STUN_TLS_PORT, StunSettings.DEFAULT_TLS_PORT, "StunSettings.DEFAULT_TLS_PORT");
    }

    @Test
    void liveDefaultsAgree() {
        LiveServices moduleDefaults = LiveServices.standalone();
        LIVE.forEach((key, field) -> assertSame(key, field.apply(moduleDefaults), "LiveServices.standalone()"));
    }

    @Test
    void theComparisonNoticesADifference() {
        ConfigKey<Integer> changed = new ConfigKey<>(SIGNALING_MEMBERS_PER_ROOM.path(),
                SIGNALING_MEMBERS_PER_ROOM.type(), SignalingSettings.DEFAULT_MEMBERS_PER_ROOM + 1, "", false);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertSame(changed, SignalingSettings.defaults().membersPerRoom(), "SignalingSettings"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("signaling.membersPerRoom"),
                e.getMessage());
        assertSame(SIGNALING_MESSAGES_PER_SECOND, 20.0, "a whole rate compares equal as a double");
    }

    /** Numbers compare by value (the schema's integer rate is the settings' double rate). */
    private static void assertSame(ConfigKey<?> key, Object moduleValue, String where) {
        Object documented = key.defaultValue();
        if (documented instanceof Number d && moduleValue instanceof Number m) {
            assertEquals(d.doubleValue(), m.doubleValue(), key.path() + ": the schema documents " + documented
                    + ", " + where + " has " + moduleValue);
        } else {
            assertEquals(documented, moduleValue, key.path() + ": the schema documents " + documented + ", "
                    + where + " has " + moduleValue);
        }
    }
}
