package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.InMemoryRevocationList;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.live.IceServers;
import io.presence.signaling.live.RecordingMinter;
import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Revoking a user: every session of theirs hears {@code revoked} and closes, leaves its rooms and calls (the relay
 * credentials are revoked), cannot be resumed; the moment is recorded; {@code admin.revoke} is for server admins.
 */
class RevokeUserTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().build();
    final RecordingMinter minter = new RecordingMinter();
    final InMemoryRevocationList revocations = new InMemoryRevocationList();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Signs in as {@code u:<displayName>}; the name {@code Root} is a server admin. */
    final AuthProvider auth = c -> CompletableFuture.completedFuture(AuthResult.accepted(new Principal(
            "u:" + c.displayName(), c.displayName(), null, "Root".equals(c.displayName()), false, Map.of())));
    final SignalingCore core = SignalingCore.builder(settings).loops(loops).time(loops.time()).meters(registry)
            .auth(auth).revocations(revocations)
            .live(new LiveServices(minter, IceServers.appliance("127.0.0.1", IceServers.DEFAULT_PORT,
                    IceServers.DEFAULT_PORT, OptionalInt.empty()), Duration.ofMinutes(10), 4, false,
                    new SdpValidator()))
            .build();

    @AfterEach
    void close() {
        core.close();
    }

    RecordingConnection open(String name) {
        RecordingConnection c = new RecordingConnection(name, loops::run);
        core.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("any", name, null, null), null));
        c.take(ServerMessage.Welcome.class);
        return c;
    }

    @Test
    void everySessionOfTheUserEndsLeavesItsRoomAndCallAndCannotResume() {
        RecordingConnection ann = open("Ann");
        String annToken = ann.session.resumeToken();
        RecordingConnection annPhone = open("Ann");
        RecordingConnection bob = open("Bob");
        ann.session.request(ann, new ClientMessage.CreateRoom("c", null));
        String room = ann.take(ServerMessage.RoomJoined.class).roomId();
        ann.session.request(ann, new ClientMessage.JoinCall("call", room));
        ann.take(ServerMessage.CallJoined.class);
        bob.session.request(bob, new ClientMessage.JoinRoom("j", room));
        bob.take(ServerMessage.RoomJoined.class);
        ann.drain();
        String annMember = ann.session.id();

        assertEquals(2, core.sessions().revokeUser("u:Ann", "test"));

        assertEquals("revoked", ann.take(ServerMessage.Error.class).code());
        assertEquals("revoked", ann.closedWith);
        assertEquals("revoked", annPhone.take(ServerMessage.Error.class).code());
        assertEquals("revoked", annPhone.closedWith);
        assertEquals(annMember, bob.takeEvent(RoomEvent.MemberLeft.class).memberId());
        assertTrue(minter.calls.stream().anyMatch(l -> l.startsWith("revoke " + room + " " + annMember)),
                minter.calls.toString());
        assertEquals(null, bob.closedWith, "other users are untouched");
        assertEquals(1, core.sessions().activeSessions());

        RecordingConnection again = new RecordingConnection("again", loops::run);
        core.sessions().hello(again, loops.get(0), new ClientMessage.Hello("r", settings.maxProtocolVersion(), null,
                new ClientMessage.Resume(annToken, 0)));
        assertEquals("resume_failed", again.take(ServerMessage.Error.class).code());

        assertEquals(loops.time().millis(), revocations.revokedAt("u:Ann").orElseThrow());
        assertEquals(2.0, registry.get("presence.sessions.revoked").counter().count());
    }

    @Test
    void aSignInCheckedBeforeARevocationAndFinishedAfterItIsRefused() {
        CompletableFuture<AuthResult> pending = new CompletableFuture<>();
        SignalingCore slow = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry()).auth(c -> pending).revocations(revocations).build();
        RecordingConnection c = new RecordingConnection("late", loops::run);
        slow.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("any", "Ann", null, null), null));
        assertEquals(0, slow.sessions().revokeUser("u:Ann", "test"));
        pending.complete(AuthResult.accepted(Principal.user("u:Ann", "Ann", null)));
        assertEquals("auth_failed", c.take(ServerMessage.Error.class).code());
        assertEquals(0, slow.sessions().activeSessions());
        slow.close();
    }

    @Test
    void aUserWithoutSessionsIsStillRecorded() {
        assertEquals(0, core.sessions().revokeUser("u:Nobody", "test"));
        assertTrue(revocations.revokedAt("u:Nobody").isPresent());
        assertThrows(IllegalArgumentException.class, () -> core.sessions().revokeUser(" ", "test"));
    }

    @Test
    void adminRevokeIsForServerAdminsOnly() {
        RecordingConnection bob = open("Bob");
        RecordingConnection eve = open("Eve");
        eve.session.request(eve, new ClientMessage.RevokeUser("x", "u:Bob"));
        assertEquals("forbidden", eve.take(ServerMessage.Error.class).code());
        bob.assertEmpty();
        assertTrue(revocations.revokedAt("u:Bob").isEmpty(), "a refused request changes nothing");

        RecordingConnection root = open("Root");
        root.session.request(root, new ClientMessage.RevokeUser("r", "u:Bob"));
        assertEquals(new ServerMessage.UserRevoked("r", "u:Bob", 1), root.take(ServerMessage.UserRevoked.class));
        assertEquals("revoked", bob.take(ServerMessage.Error.class).code());
        assertEquals("revoked", bob.closedWith);
        eve.assertEmpty();
    }
}
