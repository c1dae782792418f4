package io.presence.signaling.invite;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invite tokens, their hashes and links, and the bounds of the invite settings. */
class InviteTokenTest {

    @Test
    void aTokenIs128RandomBitsInBase64UrlAndOnlyItsSha256IsKept() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            InviteToken t = InviteToken.next();
            assertTrue(t.token().matches("[A-Za-z0-9_-]{22}"), t.token());
            assertEquals(InviteToken.hash(t.token()), t.hash());
            assertTrue(seen.add(t.token()), "never repeats");
            assertFalse(t.toString().contains(t.token()));
        }
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", InviteToken.hash("abc"));
    }

    @Test
    void aLinkIsAbsoluteOnlyWhenThePublicHostIsKnown() {
        assertEquals("/join/tok", InviteSettings.DEFAULT.url("tok"));
        assertEquals("https://presence.example.org/join/tok",
                new InviteSettings(Duration.ofHours(1), Duration.ofDays(1), "presence.example.org").url("tok"));
    }

    @Test
    void settingsOutsideTheirBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new InviteSettings(Duration.ofSeconds(59), Duration.ofDays(1), null));
        assertThrows(IllegalArgumentException.class,
                () -> new InviteSettings(Duration.ofDays(2), Duration.ofDays(1), null));
        assertThrows(IllegalArgumentException.class,
                () -> new InviteSettings(Duration.ofSeconds(30), Duration.ofSeconds(30), null));
    }

    @Test
    void guestNamesAreNormalisedAndTrimmed() {
        assertEquals("Zoë", GuestName.valid(" Zoe\u0308 "), "NFC");
        assertEquals("Ann B", GuestName.valid("Ann B"));
        assertEquals(null, GuestName.valid("\u202EAnn"), "bidi override");
        assertEquals(null, GuestName.valid("Ann\u2066"), "bidi isolate");
        assertEquals(null, GuestName.valid("\uFEFF"), "byte order mark");
        assertEquals(null, GuestName.valid(null));
    }
}
