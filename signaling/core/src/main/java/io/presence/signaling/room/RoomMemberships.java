package io.presence.signaling.room;

import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.protocol.MembershipView;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.Stages;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Who belongs to a room beyond the sessions present: a persistent room's kept memberships, the roles given and the
 * users kicked in an ephemeral one, and the rules that read them (the role a joiner holds, the role a user holds,
 * how many owners there are), with the memberships as {@code room.joined} shows them. The room decides when they
 * change; this class is where they are held, so that joining and moderation read one truth.
 *
 * <p>Concurrency: owned by one {@link Room} and touched on the room's loop alone; a store write it starts completes
 * back on that loop.
 */
final class RoomMemberships {
    private static final Logger log = LoggerFactory.getLogger(RoomMemberships.class);

    private final String roomId;
    private final RoomStore store;
    private final Loop loop;
    /** Runs a task later on the room's loop (the room's own submit). */
    private final Executor later;
    /** The room's present member sessions, read here and changed by the room alone. */
    private final Map<String, RoomMember> members;
    private final BooleanSupplier persistent;
    private final boolean direct;
    private final String createdBy;

    /**
     * A persistent room's memberships by user id, online or not, as the store keeps them; empty for an ephemeral
     * room. A user who joins and has none gets one written before the join is answered.
     */
    private final Map<String, RoomMembership> kept = new LinkedHashMap<>();
    /** Joins waiting, by user, for that user's membership to be written. */
    private final Map<String, List<Runnable>> keeping = new HashMap<>(0);
    /** Users kicked from this ephemeral room: refused for its life (a persistent room ends their membership). */
    private final Set<String> kicked = new HashSet<>(0);
    /** Roles {@code room.role} gave in this ephemeral room, by user (a persistent room keeps them in {@link #kept}). */
    private final Map<String, RoomRole> given = new HashMap<>(0);

    RoomMemberships(String roomId, List<RoomMembership> memberships, RoomStore store, Loop loop, Executor later,
                    Map<String, RoomMember> members, BooleanSupplier persistent, boolean direct, String createdBy) {
        this.roomId = roomId;
        this.store = store;
        this.loop = loop;
        this.later = later;
        this.members = members;
        this.persistent = persistent;
        this.direct = direct;
        this.createdBy = createdBy;
        for (RoomMembership m : memberships) {
            kept.put(m.userId(), m);
        }
    }

    boolean isKept(String userId) {
        return kept.containsKey(userId);
    }

    /** Whether the user keeps a membership here with exactly {@code role}. */
    boolean isKeptAs(String userId, RoomRole role) {
        RoomMembership membership = kept.get(userId);
        return membership != null && role.wire().equals(membership.role());
    }

    boolean isKicked(String userId) {
        return kicked.contains(userId);
    }

    /**
     * The role a joining user holds: a guest is a guest; otherwise the higher of what the room knows (its kept
     * membership, a role given here, the role of the user's other sessions here, the creator's ownership) and
     * what the sign-in grants; a member when neither says anything.
     */
    RoomRole roleOf(String userId, JoinClaim claim) {
        if (claim.guest()) {
            return RoomRole.GUEST;
        }
        if (direct) {
            // Two equal members; no grant makes one of them the other's owner.
            return RoomRole.MEMBER;
        }
        RoomRole known = null;
        RoomMembership membership = kept.get(userId);
        if (membership != null) {
            known = RoomRole.fromWire(membership.role());
        } else if (given.containsKey(userId)) {
            known = given.get(userId);
        } else if (createdBy.equals(userId)) {
            known = RoomRole.OWNER;
        } else {
            for (RoomMember m : members.values()) {
                if (m.profile.userId().equals(userId)) {
                    known = m.role;
                    break;
                }
            }
        }
        RoomRole granted = claim.granted() == RoomRole.GUEST ? null : claim.granted();
        if (known == null || known == RoomRole.GUEST) {
            return granted != null ? granted : RoomRole.MEMBER;
        }
        return granted != null ? RoomRole.higher(granted, known) : known;
    }

    /** The role the user holds here: its sessions', else its kept membership's; null when it is no member. */
    RoomRole roleHeld(String userId, List<RoomMember> sessions) {
        if (!sessions.isEmpty()) {
            return sessions.get(0).role;
        }
        RoomMembership membership = kept.get(userId);
        if (membership == null) {
            return null;
        }
        RoomRole role = RoomRole.fromWire(membership.role());
        return role == null ? RoomRole.MEMBER : role;
    }

    /** The user's sessions present in the room. */
    List<RoomMember> sessionsOf(String userId) {
        List<RoomMember> sessions = new ArrayList<>(1);
        for (RoomMember m : members.values()) {
            if (m.profile.userId().equals(userId)) {
                sessions.add(m);
            }
        }
        return sessions;
    }

    /** How many users are owners here: kept owners and present ones. */
    int owners() {
        Set<String> owners = new HashSet<>();
        for (RoomMembership m : kept.values()) {
            if (RoomRole.OWNER.wire().equals(m.role())) {
                owners.add(m.userId());
            }
        }
        for (RoomMember m : members.values()) {
            if (m.role == RoomRole.OWNER) {
                owners.add(m.profile.userId());
            }
        }
        return owners.size();
    }

    /**
     * Whether the user's membership is being written; if so {@code join} is submitted after the write: one write
     * per user, so another session of the user joins as a kept member.
     */
    boolean joinsAfterKeeping(String userId, Runnable join) {
        List<Runnable> behind = keeping.get(userId);
        if (behind == null) {
            return false;
        }
        behind.add(join);
        return true;
    }

    /**
     * Writes a joiner's membership and learns it after the commit; {@code then} runs on the loop with the failure,
     * or null, after the joins that waited for the write were submitted.
     */
    void keep(RoomMembership joining, Consumer<Throwable> then) {
        String userId = joining.userId();
        keeping.put(userId, new ArrayList<>(0));
        Stages.continueOn(store.addMember(roomId, joining), loop, (done, failure) -> {
            List<Runnable> waiting = keeping.remove(userId);
            waiting.forEach(later::execute);
            if (failure == null) {
                kept.put(userId, joining);
            }
            then.accept(failure);
        });
    }

    /** A membership the store keeps already; one the room knows stays as it is. */
    void admitted(RoomMembership membership) {
        kept.putIfAbsent(membership.userId(), membership);
    }

    /** Keeps the member's last display name with its membership; a failed write only costs a stale name. */
    void rememberName(MemberProfile profile) {
        RoomMembership membership = kept.get(profile.userId());
        if (membership == null || Objects.equals(membership.displayName(), profile.displayName())) {
            return;
        }
        RoomMembership renamed = new RoomMembership(membership.userId(), membership.role(), profile.displayName());
        kept.put(renamed.userId(), renamed);
        store.addMember(roomId, renamed).whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn("room {}: keeping a display name failed: {}", roomId, StorageErrors.describe(failure));
            }
        });
    }

    /**
     * One membership per user present (a user may be here with several sessions), with the highest role among its
     * sessions and the display name of one of them: what naming the room keeps.
     */
    List<RoomMembership> ofPresent() {
        Map<String, RoomMember> byUser = new LinkedHashMap<>();
        for (RoomMember m : members.values()) {
            RoomMember seen = byUser.get(m.profile.userId());
            if (seen == null || RoomRole.higher(m.role, seen.role) != seen.role) {
                byUser.put(m.profile.userId(), m);
            }
        }
        List<RoomMembership> memberships = new ArrayList<>(byUser.size());
        for (RoomMember m : byUser.values()) {
            memberships.add(new RoomMembership(m.profile.userId(), m.role.wire(), m.profile.displayName()));
        }
        return memberships;
    }

    /** Memberships the store committed (a name's, a role's); each replaces what the room knew of its user. */
    void kept(List<RoomMembership> committed) {
        for (RoomMembership m : committed) {
            kept.put(m.userId(), m);
        }
    }

    /**
     * The membership {@code room.role} writes to give the user {@code role}: the kept display name, else that of
     * one of its sessions.
     */
    RoomMembership withRole(String userId, RoomRole role, List<RoomMember> sessions) {
        RoomMembership old = kept.get(userId);
        String name = old != null ? old.displayName() : sessions.get(0).profile.displayName();
        return new RoomMembership(userId, role.wire(), name);
    }

    /** An ephemeral room's {@code room.role}: remembered for the user's later joins. */
    void give(String userId, RoomRole role) {
        given.put(userId, role);
    }

    /** An ephemeral room's kick: the user is refused for the room's life and loses a role given here. */
    void kickFromEphemeral(String userId) {
        kicked.add(userId);
        given.remove(userId);
    }

    /** A persistent room's kick, after the store deleted the membership. */
    void removeKept(String userId) {
        kept.remove(userId);
    }

    /**
     * A persistent room's memberships with each user's presence: {@code online} when one of the user's sessions
     * in the room is, {@code reconnecting} when all of them are, {@code offline} when none is here. Null for an
     * ephemeral room, which keeps no memberships.
     */
    List<MembershipView> views() {
        if (!persistent.getAsBoolean()) {
            return null;
        }
        Map<String, String> presence = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (RoomMember m : members.values()) {
            String userId = m.profile.userId();
            names.put(userId, m.profile.displayName());
            if (Room.STATE_ONLINE.equals(m.state)) {
                presence.put(userId, MembershipView.ONLINE);
            } else {
                presence.putIfAbsent(userId, MembershipView.RECONNECTING);
            }
        }
        List<MembershipView> views = new ArrayList<>(kept.size());
        for (RoomMembership m : kept.values()) {
            views.add(new MembershipView(m.userId(), names.getOrDefault(m.userId(), m.displayName()), m.role(),
                    presence.getOrDefault(m.userId(), MembershipView.OFFLINE)));
        }
        return views;
    }
}
