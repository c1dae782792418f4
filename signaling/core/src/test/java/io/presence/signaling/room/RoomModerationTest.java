package io.presence.signaling.room;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.live.IceServers;
import io.presence.signaling.live.RecordingMinter;
import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code room.kick}, {@code room.role} and direct rooms, on a manual loop with a store the test drives. */
class RoomModerationTest {
    final ManualLoops loops = new ManualLoops(1);
    final RecordingMinter minter = new RecordingMinter();
    final LifecycleRoomStore store = new LifecycleRoomStore();
    final RoomDirectory directory = new RoomDirectory(loops, new RoomSettings(8, 10, Duration.ofSeconds(5),
            Duration.ofMinutes(5)), loops.time(), new RoomStats() { }, store, new InMemoryChatStore(10),
            new LiveServices(minter, IceServers.appliance("127.0.0.1", IceServers.DEFAULT_PORT, IceServers.DEFAULT_PORT,
                    OptionalInt.empty()), Duration.ofMinutes(10), 4, false, new SdpValidator()), LiveStats.NONE);

    RecordingSink sink() {
        return new RecordingSink(loops::run);
    }

    /** "kept": owner user-a, admin user-d, members user-b and user-c, guest user-g. */
    Room persistent() {
        store.keep(new RoomRecord("kept", false, "user-a", 0), "Team", new RoomMembership("user-a", "owner"),
                new RoomMembership("user-d", "admin"), new RoomMembership("user-b", "member"),
                new RoomMembership("user-c", "member"), new RoomMembership("user-g", "guest"));
        return ((RoomOpening.Opened) directory.open("kept", Principal.user("user-a", "a", null))
                .toCompletableFuture().join()).room();
    }

    RecordingSink join(Room room, String memberId, String userId, JoinClaim claim) throws Exception {
        RecordingSink sink = sink();
        room.join(sink, new MemberProfile(memberId, userId, memberId, null), claim, new Reply("j", "c"));
        sink.take(ServerMessage.RoomJoined.class);
        return sink;
    }

    static ServerMessage.Error error(Object o) {
        return assertInstanceOf(ServerMessage.Error.class, o);
    }

    /** Forgets what the joins sent and wrote (display names kept with the memberships). */
    void drain(RecordingSink... sinks) {
        loops.run();
        for (RecordingSink s : sinks) {
            s.received.clear();
        }
        store.writes.clear();
    }

    // --- room.kick ---

    @Test
    void aKickTakesEverySessionOfTheUserOutOfRoomAndCallAndEndsTheMembership() throws Exception {
        Room room = persistent();
        RecordingSink a = join(room, "a", "user-a", JoinClaim.NONE);
        RecordingSink b1 = join(room, "b1", "user-b", JoinClaim.NONE);
        RecordingSink b2 = join(room, "b2", "user-b", JoinClaim.NONE);
        RecordingSink c = join(room, "c", "user-c", JoinClaim.NONE);
        room.joinCall(b1, "b1", new Reply("call", "c"));
        drain(a, b1, b2, c);
        minter.calls.clear();

        room.kick(a, "a", "user-b", "spam", new Reply("k", "c"));
        assertEquals("k", a.take(ServerMessage.Ok.class).requestId());
        RoomEvent.MemberKicked kicked = new RoomEvent.MemberKicked("kept", "user-b", "user-a", "spam");
        assertEquals(kicked, a.take(RoomEvent.MemberKicked.class));
        assertTrue(minter.calls.stream().anyMatch(call -> call.startsWith("revoke kept b1")),
                "the call's credentials are revoked: " + minter.calls);
        for (RecordingSink b : List.of(b1, b2)) {
            assertEquals(kicked, b.take(RoomEvent.MemberKicked.class));
            assertEquals("detached:kept", b.take());
            b.assertEmpty();
        }
        assertTrue(c.received.stream().anyMatch(kicked::equals), "every member hears of it: " + c.received);
        assertEquals(List.of("unmember user-b"), store.writes);
        assertFalse(store.members.get("kept").containsKey("user-b"));

        RecordingSink again = sink();
        room.join(again, new MemberProfile("b3", "user-b", "b", null), JoinClaim.NONE, new Reply("j", "c"));
        ServerMessage.Error refused = error(again.take());
        assertEquals("forbidden", refused.code());
        assertEquals("not_member", refused.reason(), "a kicked user is no member any more");
        room.chat(b1, "b1", new ClientMessage.SendChat("s", "kept", "m", "x", null),
                new Reply("s", "c"));
        assertEquals("not_in_room", error(b1.take()).code());
    }

    @Test
    void aKickedUserIsRefusedByAnEphemeralRoomForItsLife() throws Exception {
        Room room = directory.create(false, null, Principal.user("user-a", "a", null)).toCompletableFuture().join();
        RecordingSink a = join(room, "a", "user-a", JoinClaim.CREATOR);
        RecordingSink b = join(room, "b", "user-b", JoinClaim.NONE);
        drain(a, b);
        room.kick(a, "a", "user-b", null, new Reply("k", "c"));
        a.take(ServerMessage.Ok.class);
        assertEquals(new RoomEvent.MemberKicked(room.id(), "user-b", "user-a", null),
                b.take(RoomEvent.MemberKicked.class));
        assertTrue(store.writes.isEmpty(), "an ephemeral room writes nothing");
        RecordingSink back = sink();
        room.join(back, new MemberProfile("b2", "user-b", "b", null), JoinClaim.NONE, new Reply("j", "c"));
        ServerMessage.Error refused = error(back.take());
        assertEquals("kicked", refused.reason());
        assertEquals("detached:" + room.id(), back.take());
    }

    @Test
    void whoMayKickWhomAndWhatIsNoMember() throws Exception {
        Room room = persistent();
        RecordingSink a = join(room, "a", "user-a", JoinClaim.NONE);
        RecordingSink d = join(room, "d", "user-d", JoinClaim.NONE);
        RecordingSink b = join(room, "b", "user-b", JoinClaim.NONE);
        drain(a, d, b);

        room.kick(d, "d", "user-a", null, new Reply("k1", "c"));
        assertEquals("rank", error(d.take()).reason(), "an admin does not kick an owner");
        room.kick(b, "b", "user-c", null, new Reply("k2", "c"));
        assertEquals("role", error(b.take()).reason(), "a member kicks nobody");
        room.kick(a, "a", "user-a", null, new Reply("k3", "c"));
        assertEquals("self", error(a.take()).reason());
        room.kick(a, "a", "user-nobody", null, new Reply("k4", "c"));
        assertEquals("unknown_member", error(a.take()).code());
        assertTrue(store.writes.isEmpty(), "no refusal writes: " + store.writes);

        room.kick(d, "d", "user-c", null, new Reply("k5", "c"));
        d.take(ServerMessage.Ok.class);
        assertEquals(List.of("unmember user-c"), store.writes, "an offline member is kicked too");
    }

    @Test
    void aKickTheStoreCannotTakeChangesNothing() throws Exception {
        Room room = persistent();
        RecordingSink a = join(room, "a", "user-a", JoinClaim.NONE);
        RecordingSink b = join(room, "b", "user-b", JoinClaim.NONE);
        drain(a, b);
        store.mode = LifecycleRoomStore.Mode.FAIL;
        room.kick(a, "a", "user-b", null, new Reply("k", "c"));
        assertEquals("storage_unavailable", error(a.take()).code());
        b.assertEmpty();
        room.typing(b, "b", true, new Reply("t", "c"));
        b.take(RoomEvent.MemberTyping.class);
        b.take(ServerMessage.Ok.class);
    }

    // --- room.role ---

    @Test
    void anOwnerMakesAnAdminWhoMayThenRenameAndTheStoreKeepsIt() throws Exception {
        Room room = persistent();
        RecordingSink a = join(room, "a", "user-a", JoinClaim.NONE);
        RecordingSink b = join(room, "b", "user-b", JoinClaim.NONE);
        drain(a, b);
        room.rename(b, "b", "Mine", new Reply("r", "c"));
        assertEquals("forbidden", error(b.take()).code());

        room.changeRole(a, "a", "user-b", RoomRole.ADMIN, new Reply("p", "c"));
        a.take(ServerMessage.Ok.class);
        RoomEvent.RoleChanged changed = new RoomEvent.RoleChanged("kept", "user-b", "admin", "user-a");
        assertEquals(changed, a.take(RoomEvent.RoleChanged.class));
        assertEquals(changed, b.take(RoomEvent.RoleChanged.class));
        assertEquals("admin", store.members.get("kept").get("user-b").role());

        room.rename(b, "b", "Ours", new Reply("r2", "c"));
        b.take(ServerMessage.Ok.class);
        RecordingSink b2 = sink();
        room.join(b2, new MemberProfile("b2", "user-b", "b", null), JoinClaim.NONE, new Reply("j", "c"));
        assertEquals("admin", b2.take(ServerMessage.RoomJoined.class).role(), "another session has the new role");
    }

    @Test
    void theLastOwnerStaysAndAGuestStaysAGuest() throws Exception {
        Room room = persistent();
        RecordingSink a = join(room, "a", "user-a", JoinClaim.NONE);
        RecordingSink d = join(room, "d", "user-d", JoinClaim.NONE);
        drain(a, d);
        room.changeRole(a, "a", "user-a", RoomRole.MEMBER, new Reply("p1", "c"));
        assertEquals("last_owner", error(a.take()).reason());
        room.changeRole(a, "a", "user-g", RoomRole.MEMBER, new Reply("p2", "c"));
        assertEquals("guest", error(a.take()).reason());
        room.changeRole(d, "d", "user-b", RoomRole.ADMIN, new Reply("p3", "c"));
        assertEquals("role", error(d.take()).reason(), "an admin changes no roles");
        room.changeRole(a, "a", "user-nobody", RoomRole.ADMIN, new Reply("p4", "c"));
        assertEquals("unknown_member", error(a.take()).code());
        assertTrue(store.writes.isEmpty(), "no refusal writes: " + store.writes);

        room.changeRole(a, "a", "user-d", RoomRole.OWNER, new Reply("p5", "c"));
        a.take(ServerMessage.Ok.class);
        a.take(RoomEvent.RoleChanged.class);
        assertEquals("owner", d.take(RoomEvent.RoleChanged.class).role());
        room.changeRole(d, "d", "user-a", RoomRole.MEMBER, new Reply("p6", "c"));
        assertEquals("rank", error(d.take()).reason(), "an owner's role is that owner's");
        room.changeRole(a, "a", "user-a", RoomRole.MEMBER, new Reply("p7", "c"));
        a.take(ServerMessage.Ok.class);
        assertEquals("member", store.members.get("kept").get("user-a").role(), "another owner remains");
    }

    @Test
    void aGuestSignInIsAGuestWhateverItIsGranted() throws Exception {
        Room room = persistent();
        RecordingSink g = sink();
        room.join(g, new MemberProfile("h", "user-h", "h", null), new JoinClaim(RoomRole.OWNER, false, true),
                new Reply("j", "c"));
        assertEquals("guest", g.take(ServerMessage.RoomJoined.class).role());
        assertEquals("guest", store.members.get("kept").get("user-h").role());
    }

    // --- direct rooms ---

    @Test
    void twoUsersOpeningTheirDirectRoomAtOnceMeetInOneRoom() throws Exception {
        store.mode = LifecycleRoomStore.Mode.HOLD;
        Principal ann = Principal.user("user-a", "Ann", null);
        Principal bob = Principal.user("user-b", "Bob", null);
        CompletableFuture<RoomOpening> fromAnn = directory.openDirect(ann, "user-b").toCompletableFuture();
        CompletableFuture<RoomOpening> fromBob = directory.openDirect(bob, "user-a").toCompletableFuture();
        store.commit();
        store.mode = LifecycleRoomStore.Mode.NOW;
        Room first = ((RoomOpening.Opened) fromAnn.join()).room();
        Room second = ((RoomOpening.Opened) fromBob.join()).room();
        assertSame(first, second);
        assertEquals(DirectRoomId.of("user-b", "user-a"), first.id());
        assertEquals(1, store.rooms.size());
        assertTrue(store.rooms.get(first.id()).direct());
        assertEquals(List.of("user-a", "user-b"), List.copyOf(store.members.get(first.id()).keySet()));

        RecordingSink a = join(first, "a", "user-a", JoinClaim.NONE);
        RecordingSink b = join(first, "b", "user-b", JoinClaim.NONE);
        drain(a, b);
        for (JoinClaim claim : List.of(JoinClaim.NONE, new JoinClaim(null, true, false),
                new JoinClaim(RoomRole.OWNER, false, false))) {
            RecordingSink c = sink();
            first.join(c, new MemberProfile("c", "user-c", "c", null), claim, new Reply("j", "c"));
            assertEquals("not_member", error(c.take()).reason(), "nobody else enters: " + claim);
        }
        first.kick(a, "a", "user-b", null, new Reply("k", "c"));
        assertEquals("direct_room", error(a.take()).reason());
        first.updateSettings(b, "b", true, new Reply("s", "c"));
        b.take(ServerMessage.Ok.class);
    }

    @Test
    void theDirectRoomIdIsThePairsWhoeverAsks() {
        String id = DirectRoomId.of("dev:ann", "dev:bob");
        assertEquals(id, DirectRoomId.of("dev:bob", "dev:ann"));
        assertEquals(27, id.length());
        assertTrue(id.matches("d[a-z2-7]{26}"), id);
        assertFalse(id.equals(DirectRoomId.of("dev:ann", "dev:bo")), "another pair, another room");
        assertFalse(DirectRoomId.of("a", "bc").equals(DirectRoomId.of("ab", "c")), "no two pairs share an input");
    }
}
