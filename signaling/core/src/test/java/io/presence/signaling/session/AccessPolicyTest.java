package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.identity.Access;
import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The access policy sees every request about a room, with the session's principal; its refusals are answered. */
class AccessPolicyTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().devAuthEnabled(true).build();

    record Check(String userId, RoomAction action, String roomId) {
    }

    SignalingCore core(List<Check> checks, Set<RoomAction> refused) {
        return SignalingCore.builder(settings).loops(loops).time(loops.time()).meters(new SimpleMeterRegistry())
                .access((principal, action, roomId) -> {
                    checks.add(new Check(principal.userId(), action, roomId));
                    return refused.contains(action) && principal.userId().equals("dev:Eve")
                            ? Access.refused("not_invited", "Eve may not " + action) : Access.GRANTED;
                })
                .build();
    }

    RecordingConnection open(SignalingCore core, String name) {
        RecordingConnection c = new RecordingConnection(name, loops::run);
        core.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("dev", name, null, null), null));
        c.take(ServerMessage.Welcome.class);
        return c;
    }

    @Test
    void everyRequestAboutARoomIsCheckedWithItsAction() {
        List<Check> checks = new ArrayList<>();
        SignalingCore core = core(checks, Set.of());
        RecordingConnection a = open(core, "Ann");
        a.session.request(a, new ClientMessage.CreateRoom("1", null));
        String room = a.take(ServerMessage.RoomJoined.class).roomId();
        List<ClientMessage> requests = List.of(
                new ClientMessage.JoinRoom("2", room),
                new ClientMessage.SendChat("3", room, "m", "hi", null),
                new ClientMessage.GetHistory("4", room, null, null),
                new ClientMessage.Typing("5", room, true),
                new ClientMessage.JoinCall("6", room),
                new ClientMessage.MediaState("7", room, true, null, null),
                new ClientMessage.RefreshCredentials("8", room),
                new ClientMessage.Signal("9", room, "nobody", "restart", null, null, null, null, null),
                new ClientMessage.LeaveCall("10", room),
                new ClientMessage.NameRoom("12", room, "Team"),
                new ClientMessage.ListRooms("13"),
                new ClientMessage.EditChat("14", room, 1, "hi!", null),
                new ClientMessage.DeleteChat("15", room, 1, null),
                new ClientMessage.MarkRead("16", room, 1),
                new ClientMessage.LeaveRoom("11", room),
                new ClientMessage.RenameRoom("17", room, "Renamed"),
                new ClientMessage.UpdateRoomSettings("18", room, true),
                new ClientMessage.CreateInvite("20", room, "public", null, null),
                new ClientMessage.RevokeInvite("21", room, "i"),
                new ClientMessage.ListInvites("22", room),
                new ClientMessage.KickMember("23", room, "dev:Nobody", null),
                new ClientMessage.ChangeRole("24", room, "dev:Nobody", "admin"),
                new ClientMessage.OpenDirect("25", "dev:Bob"),
                new ClientMessage.CloseRoom("19", room));
        for (ClientMessage m : requests) {
            a.session.request(a, m);
        }
        a.drain();
        assertEquals(new Check("dev:Ann", RoomAction.CREATE, null), checks.get(0));
        Set<RoomAction> seen = EnumSet.noneOf(RoomAction.class);
        for (Check c : checks) {
            seen.add(c.action());
            boolean noRoom = c.action() == RoomAction.CREATE || c.action() == RoomAction.LIST
                    || c.action() == RoomAction.DIRECT;
            assertEquals(noRoom ? null : room, c.roomId());
        }
        assertEquals(EnumSet.allOf(RoomAction.class), seen,
                "one action per request type about a room");
        core.close();
    }

    @Test
    void aRefusalIsAnsweredForbiddenAndReachesNoRoom() {
        SignalingCore core = core(new ArrayList<>(), Set.of(RoomAction.JOIN, RoomAction.CHAT_SEND));
        RecordingConnection ann = open(core, "Ann");
        RecordingConnection eve = open(core, "Eve");
        ann.session.request(ann, new ClientMessage.CreateRoom("c", null));
        String room = ann.take(ServerMessage.RoomJoined.class).roomId();

        eve.session.request(eve, new ClientMessage.JoinRoom("j", room));
        ServerMessage.Error refused = eve.take(ServerMessage.Error.class);
        assertEquals("forbidden", refused.code());
        assertEquals("j", refused.requestId());
        assertEquals("Eve may not JOIN", refused.message());
        eve.session.request(eve, new ClientMessage.SendChat("s", room, "m", "let me in", null));
        assertEquals("forbidden", eve.take(ServerMessage.Error.class).code());
        ann.assertEmpty();

        ann.session.request(ann, new ClientMessage.SendChat("s", room, "m", "only me", null));
        ann.take(ServerMessage.ChatAck.class);
        assertEquals("only me", ann.takeEvent(RoomEvent.ChatPosted.class).message().text());
        eve.assertEmpty();
        core.close();
    }
}
