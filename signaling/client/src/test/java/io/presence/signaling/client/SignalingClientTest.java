package io.presence.signaling.client;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingClientTest {

    @Test
    void aClientNeedsAnEndpointBeforeAnythingElse() {
        assertThrows(IllegalStateException.class, () -> SignalingClient.builder().build());
        assertThrows(IllegalStateException.class, () -> SignalingClient.builder().origin("https://a.example"));
        assertThrows(IllegalArgumentException.class, () -> SignalingClient.builder().threads(0));
    }

    @Test
    void webSocketUrisGiveTransportAddressPathAndTls() {
        ClientOptions secure = ClientOptions.webSocket(URI.create("wss://chat.example"));
        assertEquals(ClientOptions.Transport.WS, secure.transport());
        assertEquals(443, secure.address().getPort());
        assertEquals("chat.example", secure.address().getHostString());
        assertEquals("/ws", secure.wsPath());
        assertTrue(secure.tls().verifyHostname());

        ClientOptions plain = ClientOptions.webSocket(URI.create("ws://127.0.0.1:8080/signal"));
        assertEquals(8080, plain.address().getPort());
        assertEquals("/signal", plain.wsPath());
        assertNull(plain.tls());
        assertEquals(80, ClientOptions.webSocket(URI.create("ws://h.example/ws")).address().getPort());

        assertThrows(IllegalArgumentException.class, () -> ClientOptions.webSocket(URI.create("http://h.example/")));
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.webSocket(URI.create("ws:/nohost")));
    }

    @Test
    void optionsRefuseImpossibleValuesNamingTheField() {
        ClientOptions tcp = ClientOptions.tcp(new InetSocketAddress("127.0.0.1", 8082));
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class, () -> tcp.withWsPath("ws"));
        assertTrue(path.getMessage().contains("wsPath"), path.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> tcp.withConnectTimeout(Duration.ZERO));
        assertTrue(timeout.getMessage().contains("connectTimeout"), timeout.getMessage());
        assertThrows(NullPointerException.class, () -> tcp.withTransport(ClientOptions.Transport.WS, null));
    }

    @Test
    void builderSettingsRefineTheChosenEndpoint() {
        try (ClientRuntime shared = ClientRuntime.create(1)) {
            SignalingClient client = SignalingClient.builder().webSocket(URI.create("ws://127.0.0.1:8080/ws"))
                    .origin("https://app.example").deflate(true).connectTimeout(Duration.ofSeconds(2))
                    .runtime(shared).build();
            assertEquals("https://app.example", client.options().origin());
            assertTrue(client.options().deflate());
            assertEquals(Duration.ofSeconds(2), client.options().connectTimeout());

            SignalingClient tcp = client.newBuilder().tcp("127.0.0.1", 8082).build();
            assertEquals(ClientOptions.Transport.TCP, tcp.options().transport());
            assertSame(shared, tcp.runtime(), "a derived client shares the runtime");
        }
    }

    @Test
    void closingAClientClosesOnlyTheRuntimeItCreated() throws Exception {
        try (FakeServer server = FakeServer.start(ClientOptions.Transport.TCP);
             ClientRuntime shared = ClientRuntime.create(1)) {
            SignalingClient borrowing = SignalingClient.builder().options(server.options()).runtime(shared).build();
            borrowing.close();
            borrowing.connect().close();

            SignalingClient owning = SignalingClient.builder().options(server.options()).threads(2).build();
            assertEquals(2, owning.runtime().threads());
            owning.connect().close();
            owning.close();
            assertThrows(IllegalStateException.class, owning::connect);
        }
    }
}
