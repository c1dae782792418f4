package io.presence.signaling.room;

import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomStore;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a room's members do to each other: {@code room.kick} and {@code room.role}. Each checks the actor's rights
 * over the target user ({@link RoomRights}), then, in a persistent room, writes the membership change before anyone
 * sees it, so a kicked user is no member and a given role holds after a restart too.
 *
 * <p>Concurrency: owned by one {@link Room} and called on the room's loop alone. It changes no room state itself
 * beyond memberships and roles: sessions leave through the room's {@code expel}, events go out through the room.
 */
final class RoomModeration {
    private final String roomId;
    /** The room's present member sessions, read here and changed by the room alone. */
    private final Map<String, RoomMember> members;
    private final RoomAccess access;
    private final RoomMemberships memberships;
    private final RoomWrites writes;
    private final RoomStore store;
    private final FanOut fanOut;
    private final BooleanSupplier persistent;
    /** Takes one session out of the room and its call, as a kick does. */
    private final Consumer<RoomMember> expel;
    private final Consumer<RoomEvent> broadcast;
    /** The room may have no member left: it unloads or arms its idle timer. */
    private final Runnable emptied;

    RoomModeration(String roomId, Map<String, RoomMember> members, RoomAccess access, RoomMemberships memberships,
                   RoomWrites writes, RoomStore store, FanOut fanOut, BooleanSupplier persistent,
                   Consumer<RoomMember> expel, Consumer<RoomEvent> broadcast, Runnable emptied) {
        this.roomId = roomId;
        this.members = members;
        this.access = access;
        this.memberships = memberships;
        this.writes = writes;
        this.store = store;
        this.fanOut = fanOut;
        this.persistent = persistent;
        this.expel = expel;
        this.broadcast = broadcast;
        this.emptied = emptied;
    }

    /** See {@link Room#kick}. */
    void kick(MemberSink sink, String memberId, String userId, String reason, Reply reply) {
        Target target = target(sink, memberId, RoomAction.KICK, userId, reply,
                () -> kick(sink, memberId, userId, reason, reply));
        if (target == null) {
            return;
        }
        RoomMember actor = target.actor;
        boolean targetAdmin = target.sessions.stream().anyMatch(m -> m.serverAdmin);
        if (RoomAccess.refused(sink, reply, RoomRights.mayKick(actor.acting(),
                RoomRights.acting(target.role, targetAdmin), userId.equals(actor.profile.userId())))) {
            return;
        }
        if (!persistent.getAsBoolean()) {
            memberships.kickFromEphemeral(userId);
            kickNow(actor, userId, reason, reply);
            return;
        }
        // The membership goes first: a kicked user must not be a member after a restart. Joins and further changes
        // wait for the write, so none of them finds the user half gone.
        writes.writeFor(actor, reply, store.removeMember(roomId, userId), "removing a membership",
                "the membership could not be deleted; nothing changed", () -> {
                    memberships.removeKept(userId);
                    kickNow(actor, userId, reason, reply);
                });
    }

    /** See {@link Room#changeRole}. */
    void changeRole(MemberSink sink, String memberId, String userId, RoomRole role, Reply reply) {
        Target target = target(sink, memberId, RoomAction.ROLE, userId, reply,
                () -> changeRole(sink, memberId, userId, role, reply));
        if (target == null) {
            return;
        }
        RoomMember actor = target.actor;
        if (RoomAccess.refused(sink, reply, RoomRights.mayGive(actor.acting(), target.role,
                userId.equals(actor.profile.userId()), role, memberships.owners()))) {
            return;
        }
        if (target.role == role) {
            actor.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
            return;
        }
        if (!persistent.getAsBoolean()) {
            memberships.give(userId, role);
            applyRole(actor, userId, role, reply);
            return;
        }
        RoomMembership changed = memberships.withRole(userId, role, target.sessions);
        writes.writeFor(actor, reply, store.addMember(roomId, changed), "changing a role",
                "the role could not be stored; nothing changed", () -> {
                    memberships.kept(List.of(changed));
                    applyRole(actor, userId, role, reply);
                });
    }

    /** The actor and the user it acts on, with that user's sessions here and the role it holds. */
    private record Target(RoomMember actor, List<RoomMember> sessions, RoomRole role) {
    }

    /**
     * The prelude of every moderation request: the actor may do {@code action}; a room write in flight is waited
     * for ({@code retry} runs after it); the target user is a member here. Null when the request was answered or
     * deferred.
     */
    private Target target(MemberSink sink, String memberId, RoomAction action, String userId, Reply reply,
                          Runnable retry) {
        RoomMember actor = access.allowedNow(sink, memberId, action, reply, retry);
        if (actor == null) {
            return null;
        }
        List<RoomMember> sessions = memberships.sessionsOf(userId);
        RoomRole role = memberships.roleHeld(userId, sessions);
        if (role == null) {
            access.unknownMember(sink, reply, userId);
            return null;
        }
        return new Target(actor, sessions, role);
    }

    /**
     * Every session of the user leaves the call (the one exit path, which revokes its TURN credentials) and the
     * room; the kicker gets {@code ok}, the remaining members and the kicked sessions {@code room.kicked}.
     */
    private void kickNow(RoomMember by, String userId, String reason, Reply reply) {
        List<RoomMember> gone = memberships.sessionsOf(userId);
        gone.forEach(expel);
        by.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
        RoomEvent event = new RoomEvent.MemberKicked(roomId, userId, by.profile.userId(), reason);
        for (RoomMember m : members.values()) {
            fanOut.event(m.sink, event);
        }
        for (RoomMember m : gone) {
            fanOut.event(m.sink, event);
        }
        fanOut.flush();
        for (RoomMember m : gone) {
            m.sink.detached(roomId);
        }
        emptied.run();
    }

    private void applyRole(RoomMember by, String userId, RoomRole role, Reply reply) {
        for (RoomMember m : memberships.sessionsOf(userId)) {
            m.role = role;
        }
        by.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
        broadcast.accept(new RoomEvent.RoleChanged(roomId, userId, role.wire(), by.profile.userId()));
    }
}
