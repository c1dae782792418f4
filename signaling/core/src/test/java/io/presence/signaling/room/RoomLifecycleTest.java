package io.presence.signaling.room;

import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.live.IceServers;
import io.presence.signaling.live.RecordingMinter;
import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.MembershipView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code room.rename}, {@code room.close}, {@code room.settings} for the owner, another member and on an ephemeral
 * room; memberships with presence in {@code room.joined}; persistent rooms unloading after the idle time. On a
 * manual loop, with a store whose writes complete when the test says.
 */
class RoomLifecycleTest {
    static final Duration IDLE = Duration.ofMinutes(5);
    static final String OWNER = "user-a";
    /** A sign-in granting the member role: how a user without a membership enters a persistent room. */
    static final JoinClaim GRANTED_MEMBER = new JoinClaim(RoomRole.MEMBER, false, false);

    final ManualLoops loops = new ManualLoops(1);
    final RecordingMinter minter = new RecordingMinter();
    final LifecycleRoomStore store = new LifecycleRoomStore();
    final List<String> loads = new ArrayList<>();
    final RoomDirectory directory = new RoomDirectory(loops, new RoomSettings(8, 10, Duration.ofSeconds(5), IDLE),
            loops.time(), new RoomStats() {
                @Override
                public void roomLoaded(boolean persistent) {
                    loads.add("loaded " + (persistent ? "persistent" : "ephemeral"));
                }

                @Override
                public void roomUnloaded(boolean persistent) {
                    loads.add("unloaded " + (persistent ? "persistent" : "ephemeral"));
                }
            }, store, new InMemoryChatStore(10),
            new LiveServices(minter, IceServers.appliance("127.0.0.1", IceServers.DEFAULT_PORT, IceServers.DEFAULT_PORT,
                    OptionalInt.empty()), Duration.ofMinutes(10), 4, false, new SdpValidator()), LiveStats.NONE);

    RecordingSink sink() {
        return new RecordingSink(loops::run);
    }

    /** An ephemeral room created by {@link #OWNER}. */
    Room ephemeral() {
        return directory.create(false, null, Principal.user(OWNER, "Name a", null)).toCompletableFuture().join();
    }

    /** The kept room "kept", created by {@link #OWNER}, loaded from the store. */
    Room persistent(RoomMembership... memberships) {
        store.keep(new RoomRecord("kept", false, OWNER, 0), "Team", memberships);
        return ((RoomOpening.Opened) directory.open("kept", Principal.user(OWNER, "Name a", null))
                .toCompletableFuture().join()).room();
    }

    ServerMessage.RoomJoined join(Room room, RecordingSink sink, String member, boolean asOwner) throws Exception {
        room.join(sink, RoomTest.profile(member), asOwner, new Reply("j", "c"));
        return sink.take(ServerMessage.RoomJoined.class);
    }

    void drain(RecordingSink... sinks) {
        loops.run();
        for (RecordingSink s : sinks) {
            s.received.clear();
        }
    }

    static String code(Object error) {
        return assertInstanceOf(ServerMessage.Error.class, error).code();
    }

    // --- room.rename ---

    @Test
    void onlyTheOwnerRenamesAndOnlyAPersistentRoom() throws Exception {
        Room room = ephemeral();
        RecordingSink a = sink();
        RecordingSink b = sink();
        join(room, a, "a", true);
        join(room, b, "b", false);
        drain(a, b);

        room.rename(b, "b", "Mine", new Reply("r", "c"));
        assertEquals("forbidden", code(b.take()));
        room.rename(a, "a", "Team", new Reply("r", "c"));
        assertEquals("not_persistent", code(a.take()));
        b.assertEmpty();
        assertTrue(store.writes.isEmpty(), "nothing written: " + store.writes);

        room.name(a, "a", "Team", new Reply("n", "c"));
        a.take(ServerMessage.Ok.class);
        a.assertEmpty(); // the namer has its ok
        assertEquals(new RoomEvent.RoomRenamed(room.id(), "Team", OWNER), b.take(RoomEvent.RoomRenamed.class));

        room.rename(a, "a", "New name", new Reply("r2", "c"));
        assertEquals("r2", a.take(ServerMessage.Ok.class).requestId());
        assertEquals(new RoomEvent.RoomRenamed(room.id(), "New name", OWNER), a.take(RoomEvent.RoomRenamed.class));
        assertEquals(new RoomEvent.RoomRenamed(room.id(), "New name", OWNER), b.take(RoomEvent.RoomRenamed.class));
        assertEquals("New name", store.names.get(room.id()));
    }

    @Test
    void aRenameTheStoreCannotTakeChangesNothing() throws Exception {
        Room room = persistent(new RoomMembership(OWNER, "owner", "Ann"), new RoomMembership("user-b", "member",
                "Bo"));
        RecordingSink a = sink();
        RecordingSink b = sink();
        join(room, a, "a", false);
        join(room, b, "b", false);
        drain(a, b);

        store.mode = LifecycleRoomStore.Mode.HOLD;
        room.rename(a, "a", "Later", new Reply("r", "c"));
        a.assertEmpty(); // answered after the commit
        store.mode = LifecycleRoomStore.Mode.FAIL;
        room.rename(a, "a", "Never", new Reply("r2", "c")); // waits behind the first
        a.assertEmpty();
        store.commit();
        a.take(ServerMessage.Ok.class);
        a.take(RoomEvent.RoomRenamed.class);
        b.take(RoomEvent.RoomRenamed.class);
        assertEquals("storage_unavailable", code(a.take()));
        a.assertEmpty();
        b.assertEmpty();
        assertEquals("Later", store.names.get("kept"));
    }

    // --- room.close ---

    @Test
    void closingAnEphemeralRoomTakesEveryoneOutOfItAndItsCall() throws Exception {
        Room room = ephemeral();
        RecordingSink a = sink();
        RecordingSink b = sink();
        RecordingSink c = sink();
        join(room, a, "a", true);
        join(room, b, "b", false);
        join(room, c, "c", false);
        room.joinCall(a, "a", new Reply("call", "c"));
        room.joinCall(b, "b", new Reply("call", "c"));
        drain(a, b, c);

        room.close(b, "b", new Reply("x", "c"));
        assertEquals("forbidden", code(b.take()));
        b.assertEmpty();

        room.close(a, "a", new Reply("x", "c"));
        assertEquals("x", a.take(ServerMessage.Ok.class).requestId());
        assertEquals("detached:" + room.id(), a.take());
        a.assertEmpty();
        assertEquals(new RoomEvent.CallLeft(room.id(), "a", "room_closed"), b.take(RoomEvent.CallLeft.class));
        assertEquals(new RoomEvent.RoomClosed(room.id(), OWNER), b.take(RoomEvent.RoomClosed.class));
        assertEquals("detached:" + room.id(), b.take());
        assertEquals(new RoomEvent.RoomClosed(room.id(), OWNER), c.take(RoomEvent.RoomClosed.class));
        assertEquals("detached:" + room.id(), c.take());
        assertTrue(minter.saw("revoke " + room.id() + " a.1"), minter.calls.toString());
        assertTrue(minter.saw("revoke " + room.id() + " b.2"), minter.calls.toString());
        assertNull(directory.loaded(room.id()));
        assertInstanceOf(RoomOpening.Refused.class, directory.open(room.id(), Principal.user("u", "U", null))
                .toCompletableFuture().join(), "a later join finds no room");

        room.join(c, RoomTest.profile("c"), false, new Reply("j", "c"));
        assertEquals("unknown_room", code(c.take()));
    }

    @Test
    void aCloserWhoLeavesWhileTheDeleteIsWrittenUnloadsTheRoomOnce() throws Exception {
        RoomDirectory noIdle = new RoomDirectory(loops, new RoomSettings(8, 10, Duration.ofSeconds(5), Duration.ZERO),
                loops.time(), new RoomStats() {
                    @Override
                    public void roomUnloaded(boolean persistent) {
                        loads.add("unloaded " + (persistent ? "persistent" : "ephemeral"));
                    }
                }, store, new InMemoryChatStore(10), LiveServices.standalone(), LiveStats.NONE);
        store.keep(new RoomRecord("kept", false, OWNER, 0), "Team", new RoomMembership(OWNER, "owner", "Ann"));
        Room room = ((RoomOpening.Opened) noIdle.open("kept", Principal.user(OWNER, "Name a", null))
                .toCompletableFuture().join()).room();
        RecordingSink a = sink();
        join(room, a, "a", false);
        drain(a);

        store.mode = LifecycleRoomStore.Mode.HOLD;
        room.close(a, "a", new Reply("x", "c"));
        room.leave(a, "a", "left", new Reply("l", "c"));
        loops.run();
        store.commit();
        loops.run();
        assertEquals(List.of("unloaded persistent"), loads, "unloaded once: " + loads);
        assertFalse(store.rooms.containsKey("kept"));
    }

    @Test
    void closingAPersistentRoomDeletesItFirstAndWhatArrivesMeanwhileWaits() throws Exception {
        Room room = persistent(new RoomMembership(OWNER, "owner", "Ann"), new RoomMembership("user-b", "member", "Bo"));
        RecordingSink a = sink();
        RecordingSink b = sink();
        join(room, a, "a", false);
        join(room, b, "b", false);
        drain(a, b);

        store.mode = LifecycleRoomStore.Mode.HOLD;
        room.close(a, "a", new Reply("x", "c"));
        room.chat(b, "b", new ClientMessage.SendChat("s", room.id(), "m1", "meanwhile", null), new Reply("s", "c"));
        a.assertEmpty();
        b.assertEmpty();
        assertTrue(store.rooms.containsKey("kept"), "not deleted before the commit");

        store.commit();
        a.take(ServerMessage.Ok.class);
        assertEquals("detached:kept", a.take());
        b.take(RoomEvent.RoomClosed.class);
        assertEquals("detached:kept", b.take());
        assertEquals("not_in_room", code(b.take()), "the chat that waited finds the room closed");
        assertFalse(store.rooms.containsKey("kept"));
        assertFalse(store.members.containsKey("kept"));
        assertInstanceOf(RoomOpening.Refused.class, directory.open("kept", Principal.user("u", "U", null))
                .toCompletableFuture().join());
    }

    @Test
    void aCloseTheStoreCannotTakeLeavesEveryoneInTheRoom() throws Exception {
        Room room = persistent(new RoomMembership(OWNER, "owner", "Ann"), new RoomMembership("user-b", "member",
                "Bo"));
        RecordingSink a = sink();
        RecordingSink b = sink();
        join(room, a, "a", false);
        join(room, b, "b", false);
        room.joinCall(b, "b", new Reply("call", "c"));
        drain(a, b);

        store.mode = LifecycleRoomStore.Mode.FAIL;
        room.close(a, "a", new Reply("x", "c"));
        assertEquals("storage_unavailable", code(a.take()));
        b.assertEmpty();
        assertSame(room, directory.loaded("kept"));
        assertFalse(minter.calls.stream().anyMatch(l -> l.startsWith("revoke")), minter.calls.toString());
        room.chat(b, "b", new ClientMessage.SendChat("s", "kept", "m1", "still here", null), new Reply("s", "c"));
        b.take(ServerMessage.ChatAck.class);
    }

    // --- room.settings ---

    @Test
    void settingsAreTheOwnersAndWaitForTheCallToEnd() throws Exception {
        Room room = ephemeral();
        RecordingSink a = sink();
        RecordingSink b = sink();
        assertFalse(join(room, a, "a", true).relayOnly());
        join(room, b, "b", false);
        drain(a, b);

        room.updateSettings(b, "b", true, new Reply("s", "c"));
        assertEquals("forbidden", code(b.take()));
        room.joinCall(a, "a", new Reply("call", "c"));
        assertFalse(a.take(ServerMessage.CallJoined.class).relayOnly());
        room.updateSettings(a, "a", true, new Reply("s", "c"));
        assertEquals("call_in_progress", code(a.take()));
        b.assertEmpty();
        assertFalse(room.relayOnly());

        room.leaveCall(a, "a", new Reply("l", "c"));
        a.take(ServerMessage.Ok.class);
        room.updateSettings(a, "a", true, new Reply("s2", "c"));
        assertEquals("s2", a.take(ServerMessage.Ok.class).requestId());
        assertEquals(new RoomEvent.RoomSettingsChanged(room.id(), true, OWNER),
                a.take(RoomEvent.RoomSettingsChanged.class));
        assertEquals(new RoomEvent.RoomSettingsChanged(room.id(), true, OWNER),
                b.take(RoomEvent.RoomSettingsChanged.class));
        assertTrue(room.relayOnly());
        RecordingSink c = sink();
        assertTrue(join(room, c, "c", false).relayOnly(), "room.joined shows the mode at once");
        b.take(RoomEvent.MemberJoined.class);
        room.joinCall(b, "b", new Reply("call", "c"));
        ServerMessage.CallJoined call = b.take(ServerMessage.CallJoined.class);
        assertTrue(call.relayOnly());
        assertEquals("relay", call.ice().iceTransportPolicy());
        int open = minter.calls.indexOf("policy " + room.id() + " open");
        int relay = minter.calls.indexOf("policy " + room.id() + " relay");
        assertTrue(open >= 0 && relay > open, "the relay is told the new policy before the next call: "
                + minter.calls);
        assertTrue(store.writes.isEmpty(), "an ephemeral room keeps its settings in memory");
    }

    @Test
    void aPersistentRoomKeepsItsSettingsAndACallJoinWaitsForTheWrite() throws Exception {
        Room room = persistent(new RoomMembership(OWNER, "owner", "Ann"), new RoomMembership("user-b", "member",
                "Bo"));
        RecordingSink a = sink();
        RecordingSink b = sink();
        join(room, a, "a", false);
        join(room, b, "b", false);
        drain(a, b);

        store.mode = LifecycleRoomStore.Mode.HOLD;
        room.updateSettings(a, "a", true, new Reply("s", "c"));
        room.joinCall(b, "b", new Reply("call", "c"));
        a.assertEmpty();
        b.assertEmpty();
        store.commit();
        a.take(ServerMessage.Ok.class);
        a.take(RoomEvent.RoomSettingsChanged.class);
        b.take(RoomEvent.RoomSettingsChanged.class);
        assertTrue(b.take(ServerMessage.CallJoined.class).relayOnly(), "the call that waited runs in the new mode");
        assertTrue(store.rooms.get("kept").relayOnly());

        room.leaveCall(b, "b", new Reply("l", "c"));
        drain(a, b);
        store.mode = LifecycleRoomStore.Mode.FAIL;
        room.updateSettings(a, "a", false, new Reply("s", "c"));
        assertEquals("storage_unavailable", code(a.take()));
        b.assertEmpty();
        assertTrue(room.relayOnly(), "unchanged");
    }

    // --- memberships and presence ---

    @Test
    void aNewMemberIsKeptBeforeTheJoinIsAnsweredAndRoomJoinedListsEveryMembershipWithPresence() throws Exception {
        Room room = persistent(new RoomMembership(OWNER, "member", "Ann"), new RoomMembership("user-z", "member",
                "Zed"));
        RecordingSink a = sink();
        ServerMessage.RoomJoined joined = join(room, a, "a", false);
        assertEquals("member", joined.role(), "the kept membership decides the role, the creator's too");
        assertEquals(List.of(new MembershipView(OWNER, "Name a", "member", "online"),
                new MembershipView("user-z", "Zed", "member", "offline")), joined.memberships());
        assertEquals(List.of("member " + OWNER), store.writes, "the new display name is kept");
        assertEquals("Name a", store.members.get("kept").get(OWNER).displayName());

        store.mode = LifecycleRoomStore.Mode.HOLD;
        RecordingSink b = sink();
        room.join(b, RoomTest.profile("b"), GRANTED_MEMBER, new Reply("j", "c"));
        b.assertEmpty();
        a.assertEmpty(); // not a member before its membership is kept
        store.commit();
        ServerMessage.RoomJoined second = b.take(ServerMessage.RoomJoined.class);
        assertEquals("member", second.role());
        assertEquals(new RoomMembership("user-b", "member", "Name b"), store.members.get("kept").get("user-b"));
        assertEquals(List.of("online", "offline", "online"),
                second.memberships().stream().map(MembershipView::presence).toList());
        a.take(RoomEvent.MemberJoined.class);

        room.setConnected("a", false);
        RecordingSink b2 = sink();
        room.join(b2, new io.presence.signaling.room.MemberProfile("b2", "user-b", "Name b", null), false,
                new Reply("j", "c"));
        ServerMessage.RoomJoined third = b2.take(ServerMessage.RoomJoined.class);
        assertEquals(List.of(new MembershipView(OWNER, "Name a", "member", "reconnecting"),
                new MembershipView("user-z", "Zed", "member", "offline"),
                new MembershipView("user-b", "Name b", "member", "online")), third.memberships());

        store.mode = LifecycleRoomStore.Mode.FAIL;
        RecordingSink c = sink();
        room.join(c, RoomTest.profile("c"), GRANTED_MEMBER, new Reply("j", "c"));
        assertEquals("storage_unavailable", code(c.take()));
        assertEquals("detached:kept", c.take());
        drain(a, b);
        room.chat(c, "c", new ClientMessage.SendChat("s", "kept", "m", "x", null), new Reply("s", "c"));
        assertEquals("not_in_room", code(c.take()), "a join whose membership was not kept is no join");
    }

    @Test
    void aJoinWhileTheNameIsWrittenWaitsAndIsKeptAsAMember() throws Exception {
        Room room = ephemeral();
        RecordingSink a = sink();
        join(room, a, "a", true);
        store.mode = LifecycleRoomStore.Mode.HOLD;
        room.name(a, "a", "Team", new Reply("n", "c"));
        RecordingSink b = sink();
        room.join(b, RoomTest.profile("b"), false, new Reply("j", "c"));
        b.assertEmpty();
        store.commit(); // the name
        a.take(ServerMessage.Ok.class);
        b.assertEmpty(); // now its membership is being written
        store.commit();
        ServerMessage.RoomJoined joined = b.take(ServerMessage.RoomJoined.class);
        assertEquals(List.of(OWNER, "user-b"), joined.memberships().stream().map(MembershipView::userId).toList());
        assertEquals(new RoomMembership("user-b", "member", "Name b"), store.members.get(room.id()).get("user-b"));
    }

    @Test
    void twoSessionsOfANewMemberWriteOneMembership() throws Exception {
        Room room = persistent(new RoomMembership(OWNER, "owner", "Ann"));
        store.mode = LifecycleRoomStore.Mode.HOLD;
        RecordingSink b1 = sink();
        RecordingSink b2 = sink();
        room.join(b1, new MemberProfile("b1", "user-b", "Bo", null), GRANTED_MEMBER, new Reply("j", "c"));
        room.join(b2, new MemberProfile("b2", "user-b", "Bo", null), GRANTED_MEMBER, new Reply("j", "c"));
        b1.assertEmpty();
        b2.assertEmpty();
        store.commit();
        b1.take(ServerMessage.RoomJoined.class);
        b2.take(ServerMessage.RoomJoined.class);
        assertEquals(List.of("member user-b"), store.writes);
    }

    @Test
    void anEphemeralRoomListsNoMemberships() throws Exception {
        Room room = ephemeral();
        assertNull(join(room, sink(), "a", true).memberships());
    }

    // --- lazy load and idle unload ---

    @Test
    void aPersistentRoomStaysLoadedForTheIdleTimeAndAnEphemeralOneGoesWhenEmpty() throws Exception {
        Room kept = persistent(new RoomMembership(OWNER, "owner", "Ann"));
        RecordingSink a = sink();
        join(kept, a, "a", false);
        kept.leave(a, "a", "left", new Reply("l", "c"));
        drain(a);
        loops.advance(IDLE.minusMillis(1));
        assertSame(kept, directory.loaded("kept"));
        loops.advance(Duration.ofMillis(1));
        assertNull(directory.loaded("kept"), "unloaded after the idle time");

        Room gone = ephemeral();
        RecordingSink b = sink();
        join(gone, b, "b", true);
        gone.leave(b, "b", "left", new Reply("l", "c"));
        drain(b);
        assertNull(directory.loaded(gone.id()), "an ephemeral room is gone once empty");
        assertEquals(List.of("loaded persistent", "unloaded persistent", "loaded ephemeral", "unloaded ephemeral"),
                loads);
        assertEquals(0, directory.size());
        assertEquals(0, loops.get(0).timers(), "no timer left behind");

        Room again = ((RoomOpening.Opened) directory.open("kept", Principal.user(OWNER, "Ann", null))
                .toCompletableFuture().join()).room();
        assertEquals("owner", join(again, sink(), "a", false).role(), "loaded again with its memberships");
    }

    @Test
    void nothingHoldsAnUnloadedRoom() throws Exception {
        WeakReference<Room> ref = unloadedRoom();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "the unloaded room was collected");
    }

    private WeakReference<Room> unloadedRoom() throws Exception {
        Room kept = persistent(new RoomMembership(OWNER, "owner", "Ann"));
        RecordingSink a = sink();
        join(kept, a, "a", false);
        kept.leave(a, "a", "left", new Reply("l", "c"));
        drain(a);
        loops.advance(IDLE);
        assertNull(directory.loaded("kept"));
        return new WeakReference<>(kept);
    }
}
