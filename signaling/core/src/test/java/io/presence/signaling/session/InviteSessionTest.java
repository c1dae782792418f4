package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.invite.InviteSettings;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.InviteView;
import io.presence.signaling.protocol.MembershipView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomMembership;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invites through sessions: owners create, list and revoke them; guests sign in with one and are members of its
 * room marked {@code guest}; signed-in users redeem, accept and decline; every refusal is typed and changes
 * nothing.
 */
class InviteSessionTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().devAuthEnabled(true).build();
    final MemoryInviteStores kept = new MemoryInviteStores();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SignalingCore core = SignalingCore.builder(settings).loops(loops).time(loops.time()).meters(registry)
            .roomStore(kept.roomStore).chatStore(new InMemoryChatStore(100))
            .invites(kept.inviteStore, new InviteSettings(Duration.ofHours(24), Duration.ofDays(30), null), true)
            .build();

    RecordingConnection connect(String name, ClientMessage.Credentials credentials) {
        RecordingConnection c = new RecordingConnection(name, loops::run);
        core.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                credentials, null));
        return c;
    }

    RecordingConnection dev(String name) {
        RecordingConnection c = connect(name, new ClientMessage.Credentials("dev", name, null, null));
        c.take(ServerMessage.Welcome.class);
        return c;
    }

    RecordingConnection guest(String name, String invite) {
        RecordingConnection c = connect(name, new ClientMessage.Credentials("guest", name, null, null, invite));
        c.take(ServerMessage.Welcome.class);
        return c;
    }

    ServerMessage.Error guestRefused(String name, String invite) {
        RecordingConnection c = connect(name, new ClientMessage.Credentials("guest", name, null, null, invite));
        ServerMessage.Error error = c.take(ServerMessage.Error.class);
        assertEquals(null, c.session, "no session");
        return error;
    }

    static <T extends ServerMessage> T ask(RecordingConnection c, ClientMessage request, Class<T> answer) {
        c.session.request(c, request);
        return c.take(answer);
    }

    String namedRoom(RecordingConnection owner) {
        String room = ask(owner, new ClientMessage.CreateRoom("c", null), ServerMessage.RoomJoined.class).roomId();
        ask(owner, new ClientMessage.NameRoom("n", room, "Team"), ServerMessage.Ok.class);
        return room;
    }

    ServerMessage.InviteCreated invite(RecordingConnection owner, String room, String kind, String userId, Long ttl) {
        return ask(owner, new ClientMessage.CreateInvite("i", room, kind, userId, ttl),
                ServerMessage.InviteCreated.class);
    }

    /** The sum over every counter of that name (and tag). */
    double counter(String name, String tag, String value) {
        var search = registry.find(name);
        return (tag == null ? search : search.tag(tag, value)).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void aGuestSignsInWithAPublicInviteAndIsAGuestMemberOfThatRoomOnly() {
        RecordingConnection ann = dev("Ann");
        String room = namedRoom(ann);
        ServerMessage.InviteCreated created = invite(ann, room, "public", null, null);
        assertEquals(22, created.token().length(), "128 bits, base64url");
        assertEquals("/join/" + created.token(), created.url(), "no public host: a relative link");
        assertEquals(loops.time().millis() + Duration.ofHours(24).toMillis(), created.expiresAt());
        assertFalse(kept.invites.get(created.inviteId()).tokenHash().contains(created.token()), "only the hash");

        RecordingConnection eve = guest("  Eve  ", created.token());
        String eveId = eve.session.principal().userId();
        assertTrue(eveId.startsWith("guest:") && eve.session.principal().guest(), eveId);
        assertEquals(new RoomMembership(eveId, "guest", "Eve"), kept.members.get(room).get(eveId), "trimmed name");
        assertTrue(ask(ann, new ClientMessage.JoinRoom("again", room), ServerMessage.RoomJoined.class).memberships()
                        .contains(new MembershipView(eveId, "Eve", "guest", MembershipView.OFFLINE)),
                "the loaded room learned the membership the invite granted");
        assertEquals(List.of(new RoomListing(room, "Team", 0)),
                ask(eve, new ClientMessage.ListRooms("l"), ServerMessage.RoomList.class).rooms(),
                "the guest finds its room in room.list");
        assertEquals("guest", ask(eve, new ClientMessage.JoinRoom("j", room), ServerMessage.RoomJoined.class).role());
        assertEquals("guest", ann.takeEvent(RoomEvent.MemberJoined.class).member().role(), "others see a guest");

        assertEquals("forbidden", ask(eve, new ClientMessage.CreateRoom("c", null), ServerMessage.Error.class).code());
        assertEquals("forbidden", ask(eve, new ClientMessage.CreateInvite("i", room, "public", null, null),
                ServerMessage.Error.class).code(), "guests never invite");

        guest("Finn", created.token());
        assertEquals(2, kept.invites.get(created.inviteId()).uses(), "a public invite lets many in");
        assertEquals(2, counter("presence.invites.redeemed", "kind", "public"));
        assertEquals(1, counter("presence.invites.issued", "kind", "public"));
    }

    @Test
    void aSingleInviteAdmitsOneGuestAndRefusalsAreTypedAndChangeNothing() {
        RecordingConnection ann = dev("Ann");
        String room = namedRoom(ann);
        String single = invite(ann, room, "single", null, null).token();
        guest("Eve", single);
        assertEquals("invite_used", guestRefused("Mallory", single).code());

        ServerMessage.InviteCreated revoked = invite(ann, room, "single", null, null);
        ask(ann, new ClientMessage.RevokeInvite("r", room, revoked.inviteId()), ServerMessage.Ok.class);
        assertEquals("invite_revoked", guestRefused("Mallory", revoked.token()).code());

        String shortLived = invite(ann, room, "public", null, 60L).token();
        loops.advance(Duration.ofSeconds(60));
        assertEquals("invite_expired", guestRefused("Mallory", shortLived).code());
        assertEquals("invite_unknown", guestRefused("Mallory", "AAAAAAAAAAAAAAAAAAAAAA").code());

        assertEquals(2, kept.members.get(room).size(), "Ann and Eve only: " + kept.members.get(room));
        assertEquals(1, counter("presence.invites.rejected", "reason", "used"));
        assertEquals(1, counter("presence.invites.rejected", "reason", "revoked"));
        assertEquals(1, counter("presence.invites.rejected", "reason", "expired"));
        assertEquals(1, counter("presence.invites.expired", null, null));
        assertEquals(1, counter("presence.invites.rejected", "reason", "unknown"));
        assertEquals(1, counter("presence.invites.revoked", null, null));
        assertEquals(4, counter("presence.auth.failures", "provider", "guest"), "failed sign-ins like any other");
    }

    @Test
    void failedGuestSignInsCountForTheSignInThrottle() throws Exception {
        SignalingCore throttled = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry()).roomStore(kept.roomStore).chatStore(new InMemoryChatStore(100))
                .invites(kept.inviteStore, InviteSettings.DEFAULT, true)
                .signInThrottle(new SignInThrottle.Settings(2, 2, Duration.ofMinutes(1), Duration.ZERO,
                        Duration.ZERO, Duration.ofMinutes(5), 100))
                .build();
        RecordingConnection ann = new RecordingConnection("Ann", loops::run);
        throttled.sessions().hello(ann, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", "Ann", null, null), null));
        ann.take(ServerMessage.Welcome.class);
        String room = namedRoom(ann);
        String single = invite(ann, room, "single", null, null).token();
        java.net.InetAddress source = java.net.InetAddress.getByName("198.51.100.7");
        List<String> codes = new java.util.ArrayList<>();
        for (String token : new String[] {"AAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBB", single}) {
            RecordingConnection c = new RecordingConnection("guest", loops::run);
            c.address = source;
            throttled.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                    new ClientMessage.Credentials("guest", "Eve", null, null, token), null));
            ServerMessage.Error error = c.take(ServerMessage.Error.class);
            codes.add(error.code() + ": " + error.message());
        }
        assertEquals(List.of("invite_unknown: no invite has that token", "invite_unknown: no invite has that token",
                "auth_failed: too many failed sign-ins, retry later"), codes);
        assertEquals(0, kept.invites.values().stream().mapToInt(i -> i.uses()).sum(), "the refused source used none");
        throttled.close();
    }

    @Test
    void aGuestNameMustBeShortVisibleAndFreeOfControlAndFormatCharacters() {
        RecordingConnection ann = dev("Ann");
        String room = namedRoom(ann);
        String single = invite(ann, room, "single", null, null).token();
        for (String bad : new String[] {"", "   ", "\u00a0\u2003", "x".repeat(41), "Eve\u202Egnp.exe", "Eve\u0007",
                "Eve\u200B"}) {
            ServerMessage.Error error = guestRefused(bad, single);
            assertEquals("auth_failed", error.code(), bad);
            assertTrue(error.message().contains("displayName"), error.message());
        }
        RecordingConnection nameless = connect("nameless", new ClientMessage.Credentials("guest", null, null, null,
                single));
        assertEquals("auth_failed", nameless.take(ServerMessage.Error.class).code());
        assertEquals(0, kept.invites.get(kept.invites.keySet().iterator().next()).uses(), "nothing redeemed");
        RecordingConnection emoji = guest("\uD83D\uDE00".repeat(40), single);
        assertEquals(40, emoji.session.principal().displayName().codePointCount(0, 80), "40 characters, not chars");
    }

    @Test
    void onlyOwnersAndAdminsManageInvitesOfNamedRoomsAndTheTtlHasBounds() {
        RecordingConnection ann = dev("Ann");
        RecordingConnection bob = dev("Bob");
        String room = namedRoom(ann);
        assertEquals("forbidden", ask(bob, new ClientMessage.CreateInvite("i", room, "public", null, null),
                ServerMessage.Error.class).code(), "a stranger");
        // The invites read memberships from the store: a plain member there, then an admin.
        kept.members.get(room).put("dev:Bob", new RoomMembership("dev:Bob", "member", "Bob"));
        assertEquals("forbidden", ask(bob, new ClientMessage.CreateInvite("i", room, "public", null, null),
                ServerMessage.Error.class).code());
        assertEquals("forbidden", ask(bob, new ClientMessage.ListInvites("l", room), ServerMessage.Error.class)
                .code());
        kept.members.get(room).put("dev:Bob", new RoomMembership("dev:Bob", "admin", "Bob"));
        invite(bob, room, "single", null, null);

        String unnamed = ask(ann, new ClientMessage.CreateRoom("c", null), ServerMessage.RoomJoined.class).roomId();
        assertEquals("not_persistent", ask(ann, new ClientMessage.CreateInvite("i", unnamed, "public", null, null),
                ServerMessage.Error.class).code());
        for (long ttl : new long[] {59, Duration.ofDays(30).toSeconds() + 1}) {
            ServerMessage.Error error = ask(ann, new ClientMessage.CreateInvite("i", room, "public", null, ttl),
                    ServerMessage.Error.class);
            assertEquals("invalid_field", error.code());
            assertTrue(error.message().contains("'ttl'"), error.message());
        }
        invite(ann, room, "public", null, Duration.ofDays(30).toSeconds());
        assertEquals(2, kept.invites.size(), "refusals kept nothing");
    }

    @Test
    void aNewPublicInviteRevokesThePreviousAndTheListShowsNoTokens() {
        RecordingConnection ann = dev("Ann");
        String room = namedRoom(ann);
        ServerMessage.InviteCreated first = invite(ann, room, "public", null, null);
        ServerMessage.InviteCreated second = invite(ann, room, "public", null, null);
        assertEquals("invite_revoked", guestRefused("Eve", first.token()).code());
        List<InviteView> list = ask(ann, new ClientMessage.ListInvites("l", room), ServerMessage.InviteList.class)
                .invites();
        assertEquals(List.of(first.inviteId(), second.inviteId()), list.stream().map(InviteView::inviteId).toList());
        assertEquals(List.of(true, false), list.stream().map(InviteView::revoked).toList());
        assertEquals("dev:Ann", list.get(0).createdBy());
        assertFalse(list.toString().contains(first.token()));
    }

    @Test
    void aSignedInUserRedeemsALinkAndAcceptsOrDeclinesTargetedInvites() {
        RecordingConnection ann = dev("Ann");
        String room = namedRoom(ann);
        RecordingConnection bob = dev("Bob");
        ServerMessage.InviteRedeemed redeemed = ask(bob, new ClientMessage.RedeemInvite("r",
                invite(ann, room, "single", null, null).token()), ServerMessage.InviteRedeemed.class);
        assertEquals(room, redeemed.roomId());
        assertEquals("Team", redeemed.name());
        assertEquals("member", kept.members.get(room).get("dev:Bob").role());

        RecordingConnection cy = dev("Cy");
        RecordingConnection cyElsewhere = dev("Cy");
        String forCy = invite(ann, room, "targeted", "dev:Cy", null).inviteId();
        for (RecordingConnection session : List.of(cy, cyElsewhere)) {
            RoomEvent.InviteReceived received = session.takeEvent(RoomEvent.InviteReceived.class);
            assertEquals(room, received.roomId());
            assertEquals(forCy, received.invite().inviteId());
            assertEquals("dev:Ann", received.invite().createdBy());
        }
        bob.assertEmpty();
        String alsoForCy = invite(ann, room, "targeted", "dev:Cy", null).inviteId();
        cy.takeEvent(RoomEvent.InviteReceived.class);
        assertEquals("invite_unknown", ask(bob, new ClientMessage.AcceptInvite("a", forCy), ServerMessage.Error.class)
                .code(), "someone else's invite is not there for Bob");
        assertEquals(List.of(forCy, alsoForCy), ask(cy, new ClientMessage.PendingInvites("p"),
                ServerMessage.PendingInviteList.class).invites().stream().map(InviteView::inviteId).toList());
        assertEquals("Team", ask(cy, new ClientMessage.AcceptInvite("a", forCy), ServerMessage.InviteRedeemed.class)
                .name());
        ask(cy, new ClientMessage.DeclineInvite("d", alsoForCy), ServerMessage.Ok.class);
        assertEquals(List.of(), ask(cy, new ClientMessage.PendingInvites("p"), ServerMessage.PendingInviteList.class)
                .invites());
        assertEquals("invite_used", ask(cy, new ClientMessage.AcceptInvite("a", forCy), ServerMessage.Error.class)
                .code());
        assertEquals(Map.of("dev:Ann", "owner", "dev:Bob", "member", "dev:Cy", "member"),
                kept.members.get(room).values().stream().collect(java.util.stream.Collectors.toMap(
                        RoomMembership::userId, RoomMembership::role)));
    }

    @Test
    void aServerWithoutAStoreOfInvitesAnswersNotSupported() {
        SignalingCore plain = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry()).build();
        RecordingConnection ann = new RecordingConnection("Ann", loops::run);
        plain.sessions().hello(ann, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", "Ann", null, null), null));
        ann.take(ServerMessage.Welcome.class);
        assertEquals(ErrorCode.NOT_SUPPORTED.wire(), ask(ann, new ClientMessage.CreateInvite("i", "r", "public",
                null, null), ServerMessage.Error.class).code());
        assertEquals(ErrorCode.NOT_SUPPORTED.wire(), ask(ann, new ClientMessage.RedeemInvite("r", "t"),
                ServerMessage.Error.class).code());
        RecordingConnection eve = new RecordingConnection("Eve", loops::run);
        plain.sessions().hello(eve, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("guest", "Eve", null, null, "t"), null));
        assertEquals("auth_failed", eve.take(ServerMessage.Error.class).code(), "no guest provider");
    }
}
