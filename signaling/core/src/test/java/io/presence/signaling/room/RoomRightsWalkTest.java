package io.presence.signaling.room;

import io.presence.signaling.identity.Access;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.live.IceServers;
import io.presence.signaling.live.RecordingMinter;
import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks every room action for every kind of actor (owner, admin, member, guest, server admin, stranger) in an
 * ephemeral, a persistent and a direct room, each case on a fresh room, through the {@link Room}'s own requests,
 * and compares what happened with the table below: written out here from PROTOCOL.md's Rights section, not read
 * from {@link RoomRights}, so that a wrong table there fails here.
 *
 * <p>Outcomes: {@code A} the rights let it through (an answer that is not {@code forbidden}, e.g. {@code ok}, or
 * {@code not_persistent} for renaming an ephemeral room), {@code F} {@code forbidden}, {@code N} refused as no
 * member ({@code not_in_room}, {@code not_in_call}). Invites have no room request yet: their rows are checked
 * against the rights table for the actors in the room.
 */
class RoomRightsWalkTest {

    enum Actor {
        OWNER("o"), ADMIN("ad"), MEMBER("m"), GUEST("g"), SERVER_ADMIN("sa"), STRANGER("x");

        final String id;

        Actor(String id) {
            this.id = id;
        }

        String userId() {
            return "user-" + id;
        }
    }

    /** What is walked: the room actions, and the two chat changes that are about others' messages. */
    enum Act {
        JOIN, LEAVE, NAME, CHAT_SEND, CHAT_HISTORY, TYPING, CALL_JOIN, CALL_LEAVE, CALL_SIGNAL, CALL_MEDIA_STATE,
        CALL_REFRESH_CREDENTIALS, CHAT_EDIT, CHAT_DELETE, CHAT_READ, RENAME, CLOSE, SETTINGS, KICK, ROLE,
        INVITE_CREATE, INVITE_REVOKE, INVITE_LIST, EDIT_OTHERS, DELETE_OTHERS
    }

    /** Requests that name no room: the session and the access policy decide them (AccessPolicyTest, RoomClaimTest). */
    static final Set<RoomAction> NOT_IN_A_ROOM = EnumSet.of(RoomAction.CREATE, RoomAction.LIST, RoomAction.DIRECT);

    static final List<Actor> SHARED = List.of(Actor.OWNER, Actor.ADMIN, Actor.MEMBER, Actor.GUEST,
            Actor.SERVER_ADMIN, Actor.STRANGER);
    static final List<Actor> DIRECT = List.of(Actor.MEMBER, Actor.SERVER_ADMIN, Actor.STRANGER);

    /** Columns: owner admin member guest server-admin stranger; the direct room's: member server-admin stranger. */
    static final Map<Act, String[]> EXPECTED = new EnumMap<>(Act.class);

    static {
        //                                 ephemeral      persistent     direct
        expect(Act.JOIN,                   "AAAAAA",      "AAAAAF",      "AFF");
        expect(Act.LEAVE,                  "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.NAME,                   "AFFFAN",      "AFFFAN",      "FNN");
        expect(Act.CHAT_SEND,              "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.CHAT_HISTORY,           "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.TYPING,                 "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.CALL_JOIN,              "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.CALL_LEAVE,             "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.CALL_SIGNAL,            "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.CALL_MEDIA_STATE,       "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.CALL_REFRESH_CREDENTIALS, "AAAAAN",    "AAAAAN",      "ANN");
        expect(Act.CHAT_EDIT,              "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.CHAT_DELETE,            "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.CHAT_READ,              "AAAAAN",      "AAAAAN",      "ANN");
        expect(Act.RENAME,                 "AAFFAN",      "AAFFAN",      "FNN");
        expect(Act.CLOSE,                  "AFFFAN",      "AFFFAN",      "FNN");
        expect(Act.SETTINGS,               "AAFFAN",      "AAFFAN",      "ANN");
        expect(Act.KICK,                   "AAFFAN",      "AAFFAN",      "FNN");
        expect(Act.ROLE,                   "AFFFAN",      "AFFFAN",      "FNN");
        expect(Act.INVITE_CREATE,          "AAFFAN",      "AAFFAN",      "FNN");
        expect(Act.INVITE_REVOKE,          "AAFFAN",      "AAFFAN",      "FNN");
        expect(Act.INVITE_LIST,            "AAFFAN",      "AAFFAN",      "FNN");
        expect(Act.EDIT_OTHERS,            "AFFFAN",      "AFFFAN",      "FNN");
        expect(Act.DELETE_OTHERS,          "AAFFAN",      "AAFFAN",      "FNN");
    }

    static void expect(Act act, String ephemeral, String persistent, String direct) {
        EXPECTED.put(act, new String[] {ephemeral, persistent, direct});
    }

    @Test
    void everyRoomActionIsWalked() {
        for (RoomAction action : RoomAction.values()) {
            assertTrue(NOT_IN_A_ROOM.contains(action) || EXPECTED.containsKey(Act.valueOf(action.name())),
                    action + " has a row");
        }
    }

    @Test
    void everyActionForEveryActorInEveryKindOfRoom() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Act act : Act.values()) {
            walk(act, RoomKind.EPHEMERAL, SHARED, EXPECTED.get(act)[0], wrong);
            walk(act, RoomKind.PERSISTENT, SHARED, EXPECTED.get(act)[1], wrong);
            walk(act, RoomKind.DIRECT, DIRECT, EXPECTED.get(act)[2], wrong);
        }
        assertEquals(List.of(), wrong);
    }

    private void walk(Act act, RoomKind kind, List<Actor> actors, String expected, List<String> wrong)
            throws Exception {
        for (int i = 0; i < actors.size(); i++) {
            Actor actor = actors.get(i);
            char outcome = new Case(kind).run(act, actor);
            if (outcome != expected.charAt(i)) {
                wrong.add(act + " by " + actor + " in " + kind + ": expected " + expected.charAt(i) + ", got "
                        + outcome);
            }
        }
    }

    /** One fresh room of one kind with everyone but the stranger in it. */
    static final class Case {
        final ManualLoops loops = new ManualLoops(1);
        final LifecycleRoomStore store = new LifecycleRoomStore();
        final RoomDirectory directory = new RoomDirectory(loops, new RoomSettings(8, 10, Duration.ofSeconds(5),
                Duration.ofMinutes(5)), loops.time(), new RoomStats() { }, store, new InMemoryChatStore(10),
                new LiveServices(new RecordingMinter(), IceServers.appliance("127.0.0.1", IceServers.DEFAULT_PORT,
                        IceServers.DEFAULT_PORT, OptionalInt.empty()), Duration.ofMinutes(10), 8, false,
                        new SdpValidator()), LiveStats.NONE);
        final Map<Actor, RecordingSink> sinks = new LinkedHashMap<>();
        final RoomKind kind;
        final Room room;

        Case(RoomKind kind) throws Exception {
            this.kind = kind;
            Principal owner = Principal.user(Actor.OWNER.userId(), "o", null);
            switch (kind) {
                case EPHEMERAL -> room = directory.create(false, null, owner).toCompletableFuture().join();
                case PERSISTENT -> {
                    store.keep(new RoomRecord("kept", false, Actor.OWNER.userId(), 0), "Team",
                            new RoomMembership(Actor.OWNER.userId(), "owner"),
                            new RoomMembership(Actor.ADMIN.userId(), "admin"),
                            new RoomMembership(Actor.MEMBER.userId(), "member"),
                            new RoomMembership(Actor.GUEST.userId(), "guest"));
                    room = opened("kept", owner);
                }
                default -> {
                    store.keep(new RoomRecord("direct", false, Actor.MEMBER.userId(), 0, true), "",
                            new RoomMembership(Actor.MEMBER.userId(), "member"),
                            new RoomMembership("user-other", "member"));
                    room = opened("direct", owner);
                }
            }
            if (kind == RoomKind.DIRECT) {
                joinAs(Actor.MEMBER);
                joinAs(Actor.SERVER_ADMIN);
                RecordingSink other = sink();
                room.join(other, new MemberProfile("other", "user-other", "other", null), JoinClaim.NONE,
                        new Reply("j", "c"));
                sinks.put(null, other);
            } else {
                for (Actor a : List.of(Actor.OWNER, Actor.ADMIN, Actor.MEMBER, Actor.GUEST, Actor.SERVER_ADMIN)) {
                    joinAs(a);
                }
            }
            loops.run();
        }

        private Room opened(String id, Principal principal) {
            return ((RoomOpening.Opened) directory.open(id, principal).toCompletableFuture().join()).room();
        }

        RecordingSink sink() {
            return new RecordingSink(loops::run);
        }

        static JoinClaim claimOf(Actor actor, RoomKind kind) {
            return switch (actor) {
                case OWNER -> kind == RoomKind.EPHEMERAL ? JoinClaim.CREATOR : JoinClaim.NONE;
                case ADMIN -> kind == RoomKind.EPHEMERAL ? new JoinClaim(RoomRole.ADMIN, false, false) : JoinClaim.NONE;
                case GUEST -> new JoinClaim(null, false, true);
                case SERVER_ADMIN -> new JoinClaim(null, true, false);
                default -> JoinClaim.NONE;
            };
        }

        void joinAs(Actor actor) {
            RecordingSink sink = sinks.computeIfAbsent(actor, a -> sink());
            room.join(sink, profile(actor), claimOf(actor, kind), new Reply("j", "c"));
        }

        static MemberProfile profile(Actor actor) {
            return new MemberProfile(actor.id, actor.userId(), actor.id, null);
        }

        boolean present(Actor actor) throws Exception {
            RecordingSink sink = sinks.get(actor);
            if (sink == null) {
                return false;
            }
            loops.run();
            return sink.received.stream().anyMatch(o -> o instanceof ServerMessage.RoomJoined);
        }

        /** Sends a message as {@code who} (a present member session) and answers its id. */
        long message(Actor who, String memberId, RecordingSink sink) throws Exception {
            room.chat(sink, memberId, new ClientMessage.SendChat("s", room.id(), "c-" + memberId, "hi", null),
                    new Reply("s", "c"));
            loops.run();
            for (Object o : sink.received) {
                if (o instanceof ServerMessage.ChatAck ack && "s".equals(ack.requestId())) {
                    return ack.messageId();
                }
            }
            throw new AssertionError(who + " could not send: " + sink.received);
        }

        char run(Act act, Actor actor) throws Exception {
            boolean in = present(actor);
            RecordingSink sink = in ? sinks.get(actor) : sink();
            String me = actor.id;
            String rid = room.id();
            // The other user whose message or membership an act is about: never the actor itself.
            Actor otherActor = kind == RoomKind.DIRECT ? null : actor == Actor.MEMBER ? Actor.GUEST : Actor.MEMBER;
            String otherMember = otherActor == null ? "other" : otherActor.id;
            String otherUser = otherActor == null ? "user-other" : otherActor.userId();
            long own = in ? message(actor, me, sink) : 1;
            long others = message(otherActor, otherMember, sinks.get(otherActor));
            if (in && act.name().startsWith("CALL_") && act != Act.CALL_JOIN) {
                room.joinCall(sink, me, new Reply("call", "c"));
            }
            loops.run();
            sinks.values().forEach(s -> s.received.clear());
            sink.received.clear();
            Reply reply = new Reply("act", "c");
            switch (act) {
                case JOIN -> room.join(sink, profile(actor), claimOf(actor, kind), reply);
                case LEAVE -> room.leave(sink, me, "left", reply);
                case NAME -> room.name(sink, me, "Named", reply);
                case CHAT_SEND -> room.chat(sink, me, new ClientMessage.SendChat("act", rid, "c2", "hi", null),
                        reply);
                case CHAT_HISTORY -> room.history(sink, me, null, 10, reply);
                case TYPING -> room.typing(sink, me, true, reply);
                case CALL_JOIN -> room.joinCall(sink, me, reply);
                case CALL_LEAVE -> room.leaveCall(sink, me, reply);
                case CALL_SIGNAL -> room.signal(sink, me, new ClientMessage.Signal("act", rid, "nobody", "restart",
                        null, null, null, null, null), reply);
                case CALL_MEDIA_STATE -> room.mediaState(sink, me, new ClientMessage.MediaState("act", rid, true,
                        null, null), reply);
                case CALL_REFRESH_CREDENTIALS -> room.refreshCredentials(sink, me, reply);
                case CHAT_EDIT -> room.editChat(sink, me, new ClientMessage.EditChat("act", rid, own, "fixed", null),
                        reply);
                case CHAT_DELETE -> room.deleteChat(sink, me, new ClientMessage.DeleteChat("act", rid, own, null),
                        reply);
                case CHAT_READ -> room.markRead(sink, me, own, reply);
                case RENAME -> room.rename(sink, me, "Renamed", reply);
                case CLOSE -> room.close(sink, me, reply);
                case SETTINGS -> room.updateSettings(sink, me, true, reply);
                case KICK -> room.kick(sink, me, otherUser, "walk", reply);
                case ROLE -> room.changeRole(sink, me, otherUser, RoomRole.ADMIN, reply);
                case EDIT_OTHERS -> room.editChat(sink, me, new ClientMessage.EditChat("act", rid, others, "theirs",
                        "moderation"), reply);
                case DELETE_OTHERS -> room.deleteChat(sink, me, new ClientMessage.DeleteChat("act", rid, others,
                        "moderation"), reply);
                case INVITE_CREATE, INVITE_REVOKE, INVITE_LIST -> {
                    if (!in) {
                        return 'N';
                    }
                    RoomRole role = actor == Actor.GUEST ? RoomRole.GUEST : actor == Actor.OWNER ? RoomRole.OWNER
                            : actor == Actor.ADMIN ? RoomRole.ADMIN : RoomRole.MEMBER;
                    return RoomRights.may(role, actor == Actor.SERVER_ADMIN, kind,
                            RoomAction.valueOf(act.name())) == Access.GRANTED ? 'A' : 'F';
                }
                default -> throw new AssertionError(act);
            }
            loops.run();
            for (Object o : sink.received) {
                if (o instanceof ServerMessage.Error e && "act".equals(e.requestId())) {
                    return switch (e.code()) {
                        case "forbidden" -> 'F';
                        case "not_in_room", "not_in_call" -> 'N';
                        default -> 'A';
                    };
                }
                if (o instanceof ServerMessage m && !(o instanceof ServerMessage.Error)) {
                    return 'A';
                }
            }
            throw new AssertionError(act + " by " + actor + " in " + kind + " got no answer: " + sink.received);
        }
    }
}
