package io.presence.stun.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StunSettingsTest {

    @Test
    void defaults() {
        StunSettings d = StunSettings.defaults();
        assertEquals("0.0.0.0", d.bindHost());
        assertEquals(3478, d.port());
        assertTrue(d.tls().isEmpty());
        assertTrue(d.alternate().isEmpty(), "RFC 5780 off by default");
        assertTrue(d.software().isEmpty(), "no SOFTWARE by default");
        assertEquals(StunSettings.DEFAULT_MAX_FRAME_BYTES, d.maxFrameBytes());
        assertEquals(5349, StunSettings.DEFAULT_TLS_PORT);
    }

    @Test
    void impossibleValuesNameTheField() {
        StunSettings d = StunSettings.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBind("0.0.0.0", 70000))
                .getMessage().startsWith("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withMaxFrameBytes(100))
                .getMessage().startsWith("maxFrameBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ZERO)).getMessage().startsWith("idleTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1))).getMessage().startsWith("firstMessageTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(Duration.ofSeconds(1),
                Duration.ofSeconds(-1), Duration.ofSeconds(1))).getMessage().startsWith("unauthenticatedIdleTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StunSettings.Tls(-1, Path.of("c"), Path.of("k")))
                .getMessage().startsWith("tls.port"));
        assertThrows(NullPointerException.class, () -> new StunSettings.Tls(5349, null, Path.of("k")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withUdpSockets(-1))
                .getMessage().startsWith("udpSockets"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withClientSockets(-1))
                .getMessage().startsWith("clientSockets"));
    }

    @Test
    void emptySoftwareMeansNone() {
        assertEquals(Optional.empty(), StunSettings.defaults().withSoftware("").software());
        assertEquals(Optional.of("x"), StunSettings.defaults().withSoftware("x").software());
    }

    @Test
    void unreadableCertificateFailsStartAndLeavesNothingBound() {
        StunSettings s = StunSettings.loopbackEphemeral()
                .withTls(new StunSettings.Tls(0, Path.of("/nonexistent/cert.pem"), Path.of("/nonexistent/key.pem")));
        io.presence.net.NetStack net = io.presence.net.NetStack.create(1, false);
        try {
            StunServer server = new StunServer(s, net, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            assertThrows(IllegalStateException.class, server::start);
            assertEquals(null, server.udpAddress());
            server.close();
        } finally {
            net.shutdown(Duration.ofSeconds(2));
        }
    }
}
