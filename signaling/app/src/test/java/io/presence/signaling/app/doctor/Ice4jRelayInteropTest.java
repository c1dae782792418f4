package io.presence.signaling.app.doctor;

import io.presence.signaling.app.RunningAppliance;
import io.presence.turn.auth.TurnCredentials;
import io.presence.turn.auth.RestCredentials;
import org.ice4j.security.LongTermCredential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ice4j's ICE agents as an independent client of the appliance's TURN relay: two agents allocate relay
 * candidates over UDP, TCP and TLS with REST credentials of one room, complete ICE with only those candidates,
 * and exchange datagrams both ways through the relay.
 */
@Timeout(60)
class Ice4jRelayInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path dir;

    private static RunningAppliance appliance;
    private static RestCredentials minter;

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(dir, 30);
        minter = new RestCredentials(List.of(appliance.secret()), "presence", Duration.ofHours(1), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
    }

    private static ProbeAgent allocate(RelayTransport transport, String room, String participant) throws Exception {
        TurnCredentials c = minter.mint(room, participant, Duration.ofMinutes(1));
        int port = transport == RelayTransport.TLS ? appliance.tlsPort() : appliance.port();
        return ProbeAgent.turn(new InetSocketAddress("127.0.0.1", port), transport,
                new LongTermCredential(c.username(), c.password()),
                transport == RelayTransport.TLS ? trustingTheCertificate() : null, TIMEOUT);
    }

    private static SSLContext trustingTheCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    @ParameterizedTest
    @EnumSource(RelayTransport.class)
    void twoRelayOnlyAgentsConnectThroughTheRelayAndExchangeDatagrams(RelayTransport transport) throws Exception {
        String room = "interop-" + UUID.randomUUID();
        try (ProbeAgent a = allocate(transport, room, "a"); ProbeAgent b = allocate(transport, room, "b")) {
            assertNull(a.probe().failure(true), () -> "allocation over " + transport + ": " + a.probe().errorCode()
                    + " " + a.probe().unreachableReason());
            assertNull(b.probe().failure(true));
            assertNotNull(a.relayedCandidate());
            assertEquals("127.0.0.1", a.probe().relayed().getAddress().getHostAddress());
            int relayPort = a.probe().relayed().getPort();
            assertTrue(relayPort >= RunningAppliance.RELAY_PORT_MIN && relayPort <= RunningAppliance.RELAY_PORT_MAX,
                    "relayed port " + relayPort + " in the configured range");

            IceCheck.Result r = IceCheck.run(a, b, 3, Duration.ofSeconds(10));

            assertTrue(r.connected(), "ICE state " + r.state());
            assertEquals(a.relayedCandidate(), a.selectedPair().getLocalCandidate(), "the relayed pair is selected");
            assertEquals(3, r.receivedByControlled(), "controlling → controlled through the relay");
            assertEquals(3, r.receivedByControlling(), "controlled → controlling through the relay");
        }
    }

    @Test
    void agentsOfDifferentRoomsCannotConnect() throws Exception {
        try (ProbeAgent a = allocate(RelayTransport.UDP, "interop-" + UUID.randomUUID(), "a");
             ProbeAgent b = allocate(RelayTransport.UDP, "interop-" + UUID.randomUUID(), "b")) {
            assertNotNull(a.relayedCandidate());
            assertNotNull(b.relayedCandidate());

            IceCheck.Result r = IceCheck.run(a, b, 1, Duration.ofSeconds(4));

            assertTrue(!r.connected(), "the relay forwards between allocations of one room only; ICE " + r.state());
        }
    }

    @Test
    void aWrongSecretIsRefusedWith401() throws Exception {
        RestCredentials wrong = new RestCredentials(List.of(RunningAppliance.randomSecret()), "presence",
                Duration.ofHours(1), Clock.systemUTC());
        TurnCredentials c = wrong.mint("interop-wrong", "a", Duration.ofMinutes(1));
        try (ProbeAgent a = ProbeAgent.turn(new InetSocketAddress("127.0.0.1", appliance.port()), RelayTransport.UDP,
                new LongTermCredential(c.username(), c.password()), null, TIMEOUT)) {
            assertEquals(Probe.Failure.ERROR_RESPONSE, a.probe().failure(true));
            assertEquals(401, a.probe().errorCode());
            assertEquals("presence", a.probe().serverRealm());
        }
    }
}
