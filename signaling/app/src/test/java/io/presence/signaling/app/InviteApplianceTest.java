package io.presence.signaling.app;

import io.presence.signaling.app.config.ModuleSettings;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.client.SignalingException;
import io.presence.signaling.jdbc.StorageSettings;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.InviteView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.RoomListing;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invites and guests over the real server, on the embedded H2 and on MariaDB (skipped when unreachable, unless
 * PRESENCE_E2E=required): an owner's public invite signs a guest in, who joins its room as a guest and chats; a
 * single invite admits one guest and the next gets invite_used; a revoked one invite_revoked; invites outlive a
 * restart, and one whose expiry passed (set in the database while the appliance is stopped: the clock this test
 * controls) gets invite_expired.
 */
class InviteApplianceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path data;
    private String storageUrl = "";

    private PresenceConfig config() throws Exception {
        return PresenceConfig.load(null, TestConfigs.persistentRoomsEnv(data, storageUrl));
    }

    private Appliance started() throws Exception {
        return TestConfigs.startedQuietly(config());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void guestsSignInWithInvitesThatOutliveARestart(String kind) throws Exception {
        TestConfigs.onDatabase(kind, url -> {
            storageUrl = url;
            scenario();
        });
    }

    private static String refusal(Runnable request) {
        return assertThrows(SignalingException.class, request::run).code();
    }

    private static ServerMessage ask(ClientSession s, Function<String, ClientMessage> request) {
        return ClientSession.expect(s.request(request.apply(s.nextRequestId())));
    }

    private static ServerMessage.InviteCreated invite(ClientSession owner, String room, String kind, Long ttl) {
        return (ServerMessage.InviteCreated) ask(owner, rid -> new ClientMessage.CreateInvite(rid, room, kind, null,
                ttl));
    }

    private static ClientSession guest(SignalingClient clients, String name, String token) {
        ClientSession s = clients.connect();
        s.hello(new ClientMessage.Credentials("guest", name, null, null, token));
        return s;
    }

    private void scenario() throws Exception {
        String room;
        String publicToken;
        ServerMessage.InviteCreated expiring;
        try (Appliance a = started();
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
            ClientSession ann = clients.connect();
            ann.hello("ann");
            room = ann.createRoom();
            ann.nameRoom(room, "Team");

            ServerMessage.InviteCreated open = invite(ann, room, "public", null);
            publicToken = open.token();
            assertEquals("/join/" + publicToken, open.url(), "no server.publicHost: a relative link");
            ClientSession eve = guest(clients, "Eve", publicToken);
            assertEquals(List.of(new RoomListing(room, "Team", 0)), eve.listRooms().rooms());
            assertEquals("guest", eve.join(room).role());
            RoomEvent.MemberJoined joined = ann.awaitEvent(RoomEvent.MemberJoined.class, WAIT);
            assertEquals("guest", joined.member().role());
            assertTrue(joined.member().userId().startsWith("guest:"), joined.member().userId());
            eve.chat(room, "g1", "hello from a guest");
            assertEquals("hello from a guest", ann.awaitEvent(RoomEvent.ChatPosted.class, WAIT).message().text());
            assertEquals("forbidden", refusal(() -> eve.createRoom()), "a guest stays in its room");
            eve.dropConnection();
            eve.resume();
            eve.chat(room, "g2", "back after a network change");
            assertEquals("back after a network change",
                    ann.awaitEvent(RoomEvent.ChatPosted.class, WAIT).message().text(), "a guest resumes like anyone");

            String single = invite(ann, room, "single", null).token();
            guest(clients, "Finn", single);
            assertEquals("invite_used", refusal(() -> guest(clients, "Gus", single)));

            ServerMessage.InviteCreated revoked = invite(ann, room, "single", null);
            ask(ann, rid -> new ClientMessage.RevokeInvite(rid, room, revoked.inviteId()));
            assertEquals("invite_revoked", refusal(() -> guest(clients, "Gus", revoked.token())));
            assertEquals("invite_unknown", refusal(() -> guest(clients, "Gus", "AAAAAAAAAAAAAAAAAAAAAA")));
            assertEquals("auth_failed", refusal(() -> guest(clients, "\u202Egus", publicToken)));

            ClientSession bob = clients.connect();
            bob.hello("bob");
            ServerMessage.InviteRedeemed redeemed = (ServerMessage.InviteRedeemed) ask(bob,
                    rid -> new ClientMessage.RedeemInvite(rid, invite(ann, room, "single", null).token()));
            assertEquals(new ServerMessage.InviteRedeemed(redeemed.requestId(), room, "Team"), redeemed);
            assertEquals("member", bob.join(room).role());

            expiring = invite(ann, room, "single", 60L);
        }
        expire(expiring.inviteId());
        try (Appliance a = started();
             SignalingClient clients = SignalingClient.builder().webSocket(a.webSocketAddress()).build()) {
            assertEquals("invite_expired", refusal(() -> guest(clients, "Hal", expiring.token())));
            ClientSession ivy = guest(clients, "Ivy", publicToken);
            assertEquals("guest", ivy.join(room).role(), "the public invite outlived the restart");

            ClientSession ann = clients.connect();
            ann.hello("ann");
            List<InviteView> invites = ((ServerMessage.InviteList) ask(ann,
                    rid -> new ClientMessage.ListInvites(rid, room))).invites();
            Map<String, Long> byKind = invites.stream().collect(Collectors.groupingBy(InviteView::kind,
                    Collectors.counting()));
            assertEquals(Map.of("public", 1L, "single", 4L), byKind);
            InviteView open = invites.get(0);
            assertEquals(2, open.uses(), "Eve and Ivy");
            assertFalse(open.revoked());
            assertEquals(1, invites.stream().filter(InviteView::revoked).count());
        }
    }

    /** Moves the invite's expiry into the past, in the database of the stopped appliance. */
    private void expire(String inviteId) throws Exception {
        StorageSettings storage = ModuleSettings.storage(config());
        try (Connection c = DriverManager.getConnection(storage.jdbcUrl(), storage.user(), storage.password());
             PreparedStatement s = c.prepareStatement("UPDATE invites SET expires_at = 1 WHERE id = ?")) {
            s.setString(1, inviteId);
            assertEquals(1, s.executeUpdate());
        }
    }
}
