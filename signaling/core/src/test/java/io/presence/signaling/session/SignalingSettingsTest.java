package io.presence.signaling.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingSettingsTest {
    @Test
    void defaultsMatchTheDocumentedValues() {
        SignalingSettings s = SignalingSettings.defaults();
        assertEquals("0.0.0.0", s.wsHost());
        assertEquals(8080, s.wsPort());
        assertEquals("/ws", s.wsPath());
        assertEquals(8082, s.tcpPort());
        assertEquals(Duration.ofSeconds(10), s.helloTimeout());
        assertEquals(Duration.ofSeconds(60), s.resumeGrace());
        assertEquals(200, s.historySize());
        assertFalse(s.devAuthEnabled());
        assertEquals(Duration.ofSeconds(35), s.deadAfter());
        assertTrue(s.versionSupported(1));
        assertFalse(s.versionSupported(2));
        assertEquals(s, s.toBuilder().build());
    }

    @Test
    void impossibleValuesAreRejectedNamingTheField() {
        assertMessage("maxFrameBytes", () -> SignalingSettings.builder().maxFrameBytes(10).build());
        assertMessage("wsPort", () -> SignalingSettings.builder().ws("h", 70000).build());
        assertMessage("resumeGrace", () -> SignalingSettings.builder().resumeGrace(Duration.ZERO).build());
        assertMessage("wsPath", () -> SignalingSettings.builder().wsPath("ws").build());
        assertMessage("maxProtocolVersion", () -> SignalingSettings.builder().protocolVersions(1, 2).build());
        assertMessage("messagesPerSecond", () -> SignalingSettings.builder().messageRate(0, 1).build());
        assertMessage("allowedOrigins", () -> SignalingSettings.builder().allowedOrigins(null).build());
        List<String> origins = new java.util.ArrayList<>(List.of("https://a"));
        SignalingSettings s = SignalingSettings.builder().allowedOrigins(origins).build();
        origins.add("https://b");
        assertEquals(List.of("https://a"), s.allowedOrigins(), "immutable copy");
    }

    private static void assertMessage(String field, org.junit.jupiter.api.function.Executable e) {
        RuntimeException ex = assertThrows(RuntimeException.class, e);
        assertTrue(ex.getMessage().contains(field), ex.getMessage());
    }
}
