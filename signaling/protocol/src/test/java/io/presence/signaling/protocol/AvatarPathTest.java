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
            "/avatar/ａｂｃ", "/avatar/a\u0000", "https://[2001:db8::1]/a.png", "http://[::ffff:192.0.2.1]/", "",
            "/avatar/a", "/avatar/ann-1", "/avatar/user/a", "/avatar/user/.png", "/avatar/user/a.png?size=64",
            "/avatar/user/a.PNG", "/avatar/users/a.png", "/avatar/User/a.png", "/avatar/user/a/b.png",
            "/avatar/user/a.b.png", "/avatar/user/../a.png", "/avatar/room//a.png", "/avatar/user/a%2F.png",
            "/avatar/guest/a .png", "/avatar/user/a.png#x", "https://evil.example/avatar/user/a.png"})
    void externalOrAmbiguousFormsAreRefused(String value) {
        assertFalse(AvatarPath.isAcceptable(value), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/avatar/user/a.png", "/avatar/user/ann-1.png", "/avatar/room/Q1Vd0mY3tJ4wWZ0cU1Lq9A.png",
            "/avatar/guest/a_b-C9.png"})
    void pathsOnThisApplianceAreAccepted(String value) {
        assertTrue(AvatarPath.isAcceptable(value), value);
    }

    @org.junit.jupiter.api.Test
    void lengthIsBounded() {
        assertTrue(AvatarPath.isAcceptable("/avatar/user/" + "a".repeat(AvatarPath.MAX_ID) + ".png"));
        assertFalse(AvatarPath.isAcceptable("/avatar/user/" + "a".repeat(AvatarPath.MAX_ID + 1) + ".png"));
        assertFalse(AvatarPath.isAcceptable(null));
    }

    @org.junit.jupiter.api.Test
    void parsesKindAndId() {
        org.junit.jupiter.api.Assertions.assertEquals(new AvatarPath.Parsed(AvatarPath.Kind.ROOM, "r-1"),
                AvatarPath.parse("/avatar/room/r-1.png"));
        org.junit.jupiter.api.Assertions.assertNull(AvatarPath.parse("/avatar/room/r:1.png"));
    }

    /** User ids hold characters the rule refuses; their default avatar path is a fixed-length encoding. */
    @ParameterizedTest
    @ValueSource(strings = {"dev:Ann", "oidc:https://issuer.example/a?b#c", "x", "ünïcödé:名前"})
    void everyUserIdHasAnAcceptableDefaultPath(String userId) {
        String path = AvatarPath.forUser(userId);
        assertTrue(AvatarPath.isAcceptable(path), path);
        org.junit.jupiter.api.Assertions.assertEquals(path, AvatarPath.forUser(userId), "stable");
        org.junit.jupiter.api.Assertions.assertEquals(22, AvatarPath.parse(path).id().length());
        org.junit.jupiter.api.Assertions.assertNotEquals(path, AvatarPath.forUser(userId + "2"));
        assertTrue(AvatarPath.isAcceptable(AvatarPath.forGuest(userId)));
    }
}
