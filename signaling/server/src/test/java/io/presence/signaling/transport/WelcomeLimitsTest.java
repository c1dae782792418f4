package io.presence.signaling.transport;

import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.protocol.ClientLimits;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.session.SignalingSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The welcome advertises the limits the server enforces, as configured (every one set off its default here). */
class WelcomeLimitsTest extends LoopbackServerTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void welcomeCarriesTheConfiguredLimitsOnHelloAndOnResume(Transport transport) {
        SignalingSettings settings = TestServer.settings()
                .maxFrameBytes(5000)
                .messageRate(7, 13)
                .rateLimitCloseAfter(Duration.ofMillis(3500))
                .roomsPerSession(3)
                .membersPerRoom(5)
                .maxTextLength(100)
                .outboundQueueMessages(77)
                .resumeBufferEvents(99)
                .build();
        LiveServices standard = LiveServices.standalone();
        LiveServices live = new LiveServices(standard.minter(), standard.iceServers(), standard.credentialTtl(), 3,
                false, new SdpValidator(12_345));
        ts = new TestServer(settings, null, live);
        ClientSession c = ts.client(transport);

        ServerMessage.Welcome welcome = c.hello("limited");
        ClientLimits expected = new ClientLimits(5000, 7, 13, 3500, 3, 5, 3, 100, ClientLimits.MAX_HISTORY_PAGE,
                12_345, SdpValidator.MAX_CANDIDATE_BYTES, ClientLimits.MAX_REQUEST_ID_LENGTH,
                SignalingSettings.MAX_HELD_DURING_HELLO, 77, 99);
        assertEquals(expected, welcome.limits());
        // Non-defaults, so the assertion above cannot pass by reading the defaults.
        SignalingSettings defaults = SignalingSettings.defaults();
        assertNotEquals(defaults.maxFrameBytes(), welcome.limits().maxFrameBytes());
        assertNotEquals(defaults.messagesPerSecond(), welcome.limits().messagesPerSecond());
        assertNotEquals(LiveServices.DEFAULT_MESH_CAP, welcome.limits().callParticipants());
        assertNotEquals(SdpValidator.DEFAULT_MAX_BYTES, welcome.limits().maxSdpBytes());

        c.dropConnection();
        ServerMessage.Welcome resumed = c.resume(ts.options(transport));
        assertTrue(resumed.resumed());
        assertEquals(expected, resumed.limits());
    }

    @org.junit.jupiter.api.Test
    void onTheWireLimitsIsAnObjectWithTheSettingsNames() {
        ClientLimits limits = new ClientLimits(5000, 7.5, 13, 3500, 3, 5, 3, 100, 1000, 12_345, 1024, 128, 16, 77,
                99);
        String json = new String(new ProtocolJson().encode(new ServerMessage.Welcome("1", 1, "s", "u", "t", false, 0,
                15000, 60000, limits)), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"limits\":{\"maxFrameBytes\":5000,\"messagesPerSecond\":7.5,\"messageBurst\":13,"
                + "\"rateLimitCloseAfterMs\":3500,\"roomsPerSession\":3,\"membersPerRoom\":5,\"callParticipants\":3,"
                + "\"maxTextLength\":100,\"maxHistoryPage\":1000,\"maxSdpBytes\":12345,\"maxCandidateBytes\":1024,"
                + "\"maxRequestIdLength\":128,\"maxHeldDuringHello\":16,\"outboundQueueMessages\":77,"
                + "\"resumeBufferEvents\":99}"), json);
        assertEquals(limits, ((ServerMessage.Welcome) new ProtocolJson().decodeServer(json)).limits());
    }
}
