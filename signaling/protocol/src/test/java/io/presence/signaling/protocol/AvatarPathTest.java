package io.presence.signaling.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvatarPathTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "http://evil.example/a.png", "https://evil.example/a.png", "HTTPS://EVIL.EXAMPLE/A.PNG",
            "hTtP://198.51.100.7/a", "//evil.example/a.png", "///evil.example/a.png", "/\\evil.example/a.png",
            "\\\\evil.example\\a.png", "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)",
            "JaVaScRiPt:alert(1)", "vbscript:x", "blob:https://evil.example/1", "ftp://evil.example/a",
            " https://evil.example/a.png", "\thttps://evil.example/a.png", "\nhttps://evil.example/a.png",
            " /avatar/abc", "/avatar/abc ", "/avatar/../../evil", "/avatar/a/../..//evil.example",
            "/avatar//evil.example", "/avatar/a?u=https://evil.example", "/avatar/a#https://evil.example",
            "/avatar/%2F%2Fevil.example", "/avatar/a.png", "/avatar/", "/avatar", "avatar/abc", "/Avatar/abc",
            "/avatar/ａｂｃ", "/avatar/a\u0000", "https://[2001:db8::1]/a.png", "http://[::ffff:192.0.2.1]/", ""})
    void externalOrAmbiguousFormsAreRefused(String value) {
        assertFalse(AvatarPath.isAcceptable(value), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/avatar/a", "/avatar/ann-1", "/avatar/Q1Vd0mY3tJ4wWZ0cU1Lq9A", "/avatar/a_b-C9"})
    void pathsOnThisApplianceAreAccepted(String value) {
        assertTrue(AvatarPath.isAcceptable(value), value);
    }

    @org.junit.jupiter.api.Test
    void lengthIsBounded() {
        assertTrue(AvatarPath.isAcceptable("/avatar/" + "a".repeat(AvatarPath.MAX_ID)));
        assertFalse(AvatarPath.isAcceptable("/avatar/" + "a".repeat(AvatarPath.MAX_ID + 1)));
        assertFalse(AvatarPath.isAcceptable(null));
    }
}
