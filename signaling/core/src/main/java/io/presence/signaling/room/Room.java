package io.presence.signaling.room;

import io.presence.signaling.identity.Access;
import io.presence.signaling.identity.RoomAction;
import io.presence.signaling.identity.RoomRole;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.Limit;
import io.presence.signaling.protocol.MemberView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.Cancellable;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One room: its member sessions and call, and the loop every change to them runs on. The rest it owns and calls on
 * that loop: its chat ({@link RoomChat}), its one-at-a-time store writes ({@link RoomWrites}), the rights prelude of
 * each request ({@link RoomAccess}), typing indicators ({@link RoomTyping}), its memberships and the role of a joiner
 * ({@link RoomMemberships}), kick and role change ({@link RoomModeration}) and the server's own changes
 * ({@link RoomSystemChanges}).
 *
 * <p>Concurrency: an actor. Every public method may be called from any thread and only enqueues a task on the
 * room's event loop; all state below is touched on that loop alone, so the room holds no locks. Results go out
 * through each member's {@link MemberSink}, in the order the room produced them.
 */
public final class Room {
    private static final Logger log = LoggerFactory.getLogger(Room.class);
    /** The wire names of two roles, for code that names a role; what a role may do is {@link RoomRights}'s alone. */
    public static final String ROLE_OWNER = RoomRole.OWNER.wire();
    public static final String ROLE_MEMBER = RoomRole.MEMBER.wire();
    /** A user signed in with an invite instead of an account; shown as such to the other members. */
    public static final String ROLE_GUEST = RoomRole.GUEST.wire();
    public static final String STATE_ONLINE = "online";
    public static final String STATE_RECONNECTING = "reconnecting";

    private final String id;
    /** What the store keeps of the room; replaced when its settings change. */
    private RoomRecord record;
    private final RoomStore store;
    private final Loop loop;
    private final RoomSettings settings;
    private final TimeSource time;
    private final RoomStats stats;
    private final Runnable onClosed;
    private final LiveCall call;

    // Loop-confined state.
    private final Map<String, RoomMember> members = new LinkedHashMap<>();
    private final FanOut fanOut;
    private final RoomChat chat;
    private boolean closed;
    /** Kept by the store (loaded from it, or named): its chat is the store's, naming again renames it. */
    private boolean persistent;
    /** The direct room of two users ({@link RoomKind#DIRECT}); fixed at creation. */
    private final boolean direct;
    /**
     * The room's writes to the store, one at a time: chat, joins, call joins and further changes wait while one is
     * in flight.
     */
    private final RoomWrites writes;
    /** Armed while the room is empty and the idle time is not zero; unloads the room when it fires. */
    private Cancellable idleTimer;
    // Collaborators it owns, each called on the loop alone.
    private final RoomAccess access;
    private final RoomTyping typing;
    private final RoomMemberships memberships;
    private final RoomModeration moderation;
    private final RoomSystemChanges system;

    /** @param memberships a persistent room's memberships as the store keeps them */
    Room(RoomRecord record, boolean persistent, List<RoomMembership> memberships, Loop loop, RoomSettings settings,
         TimeSource time, RoomStats stats, RoomStore store, ChatStore chats, Runnable onClosed, LiveCall call) {
        this.id = record.id();
        this.record = record;
        this.persistent = persistent;
        this.direct = record.direct();
        this.store = store;
        this.call = call;
        this.loop = loop;
        this.settings = settings;
        this.time = time;
        this.stats = stats;
        this.onClosed = onClosed;
        this.fanOut = new FanOut(loop);
        this.writes = new RoomWrites(id, loop);
        this.typing = new RoomTyping(id, loop, settings.typingTimeout(), members, this::broadcast);
        this.chat = new RoomChat(id, chats, loop, settings, time, stats, fanOut, members, () -> this.persistent,
                this::broadcast, typing::clear);
        this.access = new RoomAccess(id, members, this::kind, writes);
        this.memberships = new RoomMemberships(id, memberships, store, loop, this::submit, members,
                () -> this.persistent, direct, record.createdBy());
        this.system = new RoomSystemChanges(id, writes, store, chat, () -> closed, () -> this.persistent,
                this::broadcast, this::closeForSystem, this::emptied);
        this.moderation = new RoomModeration(id, members, access, this.memberships, writes, store, fanOut,
                () -> this.persistent, this::expel, this::broadcast, this::emptied);
        if (persistent && !settings.idleUnload().isZero()) {
            // A room loaded for a join that never comes (its session ended meanwhile) still unloads.
            submit(this::emptied);
        }
    }

    public String id() {
        return id;
    }

    public Loop loop() {
        return loop;
    }

    /**
     * Adds the member (or, if it is already one, answers with a fresh snapshot). The joiner gets the snapshot as
     * the reply; the others get {@code member.joined}.
     */
    public void join(MemberSink sink, MemberProfile profile, JoinClaim claim, Reply reply) {
        submit(() -> doJoin(sink, profile, claim, reply, false));
    }

    /** A join with no claim but, when {@code asOwner}, the creator's ownership. */
    public void join(MemberSink sink, MemberProfile profile, boolean asOwner, Reply reply) {
        join(sink, profile, asOwner ? JoinClaim.CREATOR : JoinClaim.NONE, reply);
    }

    /**
     * {@code room.kick}: every session of {@code userId} leaves the room and its call, a persistent room's
     * membership is deleted first; answered {@code ok}, every member (the kicked sessions too) gets
     * {@code room.kicked}.
     */
    public void kick(MemberSink sink, String memberId, String userId, String reason, Reply reply) {
        submit(() -> moderation.kick(sink, memberId, userId, reason, reply));
    }

    /**
     * {@code room.role}: answered {@code ok}, every member gets {@code room.role}; a persistent room keeps the role
     * first.
     */
    public void changeRole(MemberSink sink, String memberId, String userId, RoomRole role, Reply reply) {
        submit(() -> moderation.changeRole(sink, memberId, userId, role, reply));
    }

    public void leave(MemberSink sink, String memberId, String reason, Reply reply) {
        submit(() -> doLeave(sink, memberId, reason, reply));
    }

    /** The member's session lost its last connection ({@code reconnecting}) or got one back ({@code back}). */
    public void setConnected(String memberId, boolean connected) {
        submit(() -> doSetConnected(memberId, connected));
    }

    /**
     * Runs {@code then} on the room's loop behind every task queued there now: whatever the room has sent before, it
     * has handed on by then (to a sink's loop, or to the sink itself). A session moving to another loop waits for
     * this from each of its rooms.
     */
    public void barrier(Runnable then) {
        submit(then);
    }

    /**
     * Unloads the room now if it has no member: for a room loaded or created for a session that is gone before it
     * could join.
     */
    public void unloadIfEmpty() {
        submit(() -> {
            if (members.isEmpty() && !closed) {
                unload();
            }
        });
    }

    public void updateProfile(MemberProfile profile) {
        submit(() -> doUpdateProfile(profile));
    }

    public void chat(MemberSink sink, String memberId, ClientMessage.SendChat message, Reply reply) {
        long acceptedNanos = time.nanos();
        submit(() -> doChat(sink, memberId, message, reply, acceptedNanos));
    }

    /**
     * Names the room (an owner only, see {@link RoomRights}), which makes it persistent: the store keeps it with its members
     * and the chat it holds; answered {@code ok} after the commit.
     */
    public void name(MemberSink sink, String memberId, String name, Reply reply) {
        submit(() -> doName(sink, memberId, name, reply));
    }

    public void typing(MemberSink sink, String memberId, boolean active, Reply reply) {
        submit(() -> doTyping(sink, memberId, active, reply));
    }

    public void history(MemberSink sink, String memberId, Long before, int limit, Reply reply) {
        history(sink, memberId, before, null, limit, reply);
    }

    /** A page below {@code before}, above {@code after}, or the newest; a cursor must name a message of this room. */
    public void history(MemberSink sink, String memberId, Long before, Long after, int limit, Reply reply) {
        submit(() -> doHistory(sink, memberId, before, after, limit, reply));
    }

    /** {@code chat.edit}: answered {@code ok}, every member gets {@code chat.edited}. */
    public void editChat(MemberSink sink, String memberId, ClientMessage.EditChat edit, Reply reply) {
        submit(() -> doEditChat(sink, memberId, edit, reply));
    }

    /** {@code chat.delete}: answered {@code ok}, every member gets {@code chat.deleted} (once: a repeat is quiet). */
    public void deleteChat(MemberSink sink, String memberId, ClientMessage.DeleteChat delete, Reply reply) {
        submit(() -> doDeleteChat(sink, memberId, delete, reply));
    }

    /** {@code chat.read}: moves the member's user's read marker forward; its other sessions here get {@code chat.read}. */
    public void markRead(MemberSink sink, String memberId, long messageId, Reply reply) {
        submit(() -> doMarkRead(sink, memberId, messageId, reply));
    }

    /** Joins the room's call (members only); the reply is {@code live.call} with peers and ICE configuration. */
    public void joinCall(MemberSink sink, String memberId, Reply reply) {
        submit(() -> doJoinCall(sink, memberId, reply));
    }

    private void doJoinCall(MemberSink sink, String memberId, Reply reply) {
        // A room.settings being written must find the call as it checked it: empty.
        RoomMember member = access.allowedNow(sink, memberId, RoomAction.CALL_JOIN, reply,
                () -> doJoinCall(sink, memberId, reply));
        if (member != null) {
            call.join(memberId, member.profile, member.sink, reply);
        }
    }

    /** Renames a persistent room (an owner or admin); every member gets {@code room.renamed} after the commit. */
    public void rename(MemberSink sink, String memberId, String name, Reply reply) {
        submit(() -> doRename(sink, memberId, name, reply));
    }

    /**
     * Closes the room (an owner only): a persistent room is deleted first; then every member leaves it and its
     * call, the others get {@code room.closed}, and the room unloads.
     */
    public void close(MemberSink sink, String memberId, Reply reply) {
        submit(() -> doClose(sink, memberId, reply));
    }

    /**
     * Sets the privacy mode of the room's next call (an owner or admin, either member of a direct room; refused while
     * the call has participants).
     */
    public void updateSettings(MemberSink sink, String memberId, boolean relayOnly, Reply reply) {
        submit(() -> doUpdateSettings(sink, memberId, relayOnly, reply));
    }

    /**
     * The member's session resumed on a new connection (whether or not the old one was noticed dead): a call
     * participant keeps its place and is pushed fresh credentials.
     */
    public void sessionResumed(String memberId) {
        submit(() -> {
            if (members.containsKey(memberId)) {
                call.resumed(memberId);
            }
        });
    }

    public void leaveCall(MemberSink sink, String memberId, Reply reply) {
        submit(() -> {
            if (!access.refused(sink, memberId, RoomAction.CALL_LEAVE, reply)) {
                call.leave(memberId, sink, reply);
            }
        });
    }

    public void signal(MemberSink sink, String memberId, ClientMessage.Signal signal, Reply reply) {
        submit(() -> {
            if (!access.refused(sink, memberId, RoomAction.CALL_SIGNAL, reply)) {
                call.signal(memberId, signal, sink, reply);
            }
        });
    }

    public void mediaState(MemberSink sink, String memberId, ClientMessage.MediaState state, Reply reply) {
        submit(() -> {
            if (!access.refused(sink, memberId, RoomAction.CALL_MEDIA_STATE, reply)) {
                call.mediaState(memberId, state, sink, reply);
            }
        });
    }

    public void refreshCredentials(MemberSink sink, String memberId, Reply reply) {
        submit(() -> {
            if (!access.refused(sink, memberId, RoomAction.CALL_REFRESH_CREDENTIALS, reply)) {
                call.refresh(memberId, sink, reply);
            }
        });
    }

    /** Whether the room's call is in privacy mode (changed between calls by {@code room.settings}). */
    public boolean relayOnly() {
        return call.relayOnly();
    }

    private void submit(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // Only while the appliance shuts its loops down; the room dies with them.
        }
    }

    /**
     * @param wasEphemeral the join was asked while the room was still ephemeral and waited for its name to be
     *                     written: its id was the capability when the user asked, so the user enters as one of
     *                     those present at naming
     */
    private void doJoin(MemberSink sink, MemberProfile profile, JoinClaim claim, Reply reply, boolean wasEphemeral) {
        if (closed) {
            sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.UNKNOWN_ROOM, "no such room"));
            sink.detached(id);
            return;
        }
        RoomMember existing = members.get(profile.memberId());
        if (existing == null) {
            String userId = profile.userId();
            Access entry = RoomRights.mayJoin(kind(), memberships.isKept(userId), claim.granted() != null
                    || wasEphemeral, claim.serverAdmin(), claim.guest(), memberships.isKicked(userId));
            if (RoomAccess.refused(sink, reply, entry)) {
                sink.detached(id);
                emptied();
                return;
            }
            if (members.size() >= settings.membersPerRoom()) {
                sink.reply(reply, ServerMessage.Error.limit(reply.requestId(), Limit.MEMBERS_PER_ROOM,
                        "the room has its maximum of " + settings.membersPerRoom() + " members"));
                sink.detached(id);
                emptied();
                return;
            }
            // A name being written would miss the newcomer's membership; a close would leave it in a room that is
            // gone.
            boolean asked = wasEphemeral || !persistent;
            if (writes.deferred(() -> doJoin(sink, profile, claim, reply, asked))) {
                return;
            }
            RoomRole role = memberships.roleOf(userId, claim);
            boolean keep = persistent && (claim.granted() != null || wasEphemeral)
                    && !memberships.isKeptAs(userId, role);
            if (keep) {
                keepMembershipThenJoin(sink, profile, claim, role, reply);
                return;
            }
            existing = new RoomMember(sink, profile, role, claim.serverAdmin());
            members.put(profile.memberId(), existing);
            if (persistent) {
                memberships.rememberName(profile);
            }
            if (idleTimer != null) {
                idleTimer.cancel();
                idleTimer = null;
            }
            stats.memberAdded();
            broadcastExcept(profile.memberId(), new RoomEvent.MemberJoined(id, existing.view()));
        }
        sink.reply(reply, new ServerMessage.RoomJoined(reply.requestId(), id, profile.memberId(),
                existing.role.wire(), call.relayOnly(), snapshot(), memberships.views()));
    }

    /**
     * A user whose sign-in grants a role joins a persistent room where it has no membership or a different role:
     * the membership is written first, so that a member who was answered is one after a restart too; the join goes
     * on after the commit.
     */
    private void keepMembershipThenJoin(MemberSink sink, MemberProfile profile, JoinClaim claim, RoomRole role,
                                        Reply reply) {
        if (memberships.joinsAfterKeeping(profile.userId(), () -> doJoin(sink, profile, claim, reply, false))) {
            return;
        }
        RoomMembership joining = new RoomMembership(profile.userId(), role.wire(), profile.displayName());
        memberships.keep(joining, failure -> {
            if (failure != null) {
                log.warn("room {}: keeping a membership failed: {}", id, StorageErrors.describe(failure));
                sink.reply(reply, ServerMessage.Error.of(reply.requestId(), StorageErrors.codeOf(failure),
                        "the membership could not be stored; not joined"));
                sink.detached(id);
                emptied();
                return;
            }
            doJoin(sink, profile, claim, reply, false);
        });
    }

    private RoomKind kind() {
        return direct ? RoomKind.DIRECT : persistent ? RoomKind.PERSISTENT : RoomKind.EPHEMERAL;
    }

    /**
     * A membership granted outside the room (an invite redeemed while the room is loaded) and already kept by the
     * store: the room learns it as if it had loaded it, so the user joins with that role. A membership the room
     * knows stays as it is.
     */
    public void admitted(RoomMembership membership) {
        submit(() -> {
            if (persistent && !closed) {
                memberships.admitted(membership);
            }
        });
    }

    private void doLeave(MemberSink sink, String memberId, String reason, Reply reply) {
        RoomMember member = members.remove(memberId);
        if (member == null) {
            access.notMember(sink, reply);
            sink.detached(id);
            return;
        }
        stats.memberRemoved();
        member.cancelTyping();
        // Leaving the room leaves its call: one path, which revokes the TURN credentials.
        call.remove(memberId, "left".equals(reason) ? "room_left" : reason);
        member.sink.reply(reply, new ServerMessage.RoomLeft(reply.requestId(), id));
        member.sink.detached(id);
        broadcast(new RoomEvent.MemberLeft(id, memberId, reason));
        emptied();
    }

    private void doSetConnected(String memberId, boolean connected) {
        RoomMember member = members.get(memberId);
        if (member == null) {
            return;
        }
        String state = connected ? STATE_ONLINE : STATE_RECONNECTING;
        if (state.equals(member.state)) {
            return;
        }
        member.state = state;
        if (!connected) {
            typing.clear(member);
        }
        broadcastExcept(memberId, connected ? new RoomEvent.MemberBack(id, memberId)
                : new RoomEvent.MemberReconnecting(id, memberId));
    }

    private void doUpdateProfile(MemberProfile profile) {
        RoomMember member = members.get(profile.memberId());
        if (member == null) {
            return;
        }
        member.profile = profile;
        if (persistent) {
            memberships.rememberName(profile);
        }
        broadcast(new RoomEvent.MemberUpdated(id, member.view()));
    }

    private void doChat(MemberSink sink, String memberId, ClientMessage.SendChat message, Reply reply, long acceptedNanos) {
        RoomMember member = access.allowed(sink, memberId, RoomAction.CHAT_SEND, reply);
        if (member == null) {
            return;
        }
        if (writes.writing()) {
            writes.deferred(() -> doChat(sink, memberId, message, reply, acceptedNanos));
            return;
        }
        chat.send(member, message, reply, acceptedNanos);
    }

    private void doName(MemberSink sink, String memberId, String name, Reply reply) {
        RoomMember member = access.allowedNow(sink, memberId, RoomAction.NAME, reply,
                () -> doName(sink, memberId, name, reply));
        if (member == null) {
            return;
        }
        List<RoomMembership> present = memberships.ofPresent();
        // A kept room's chat is in the store already; an ephemeral room hands over what it holds in memory, whose
        // ids the persistent log continues from.
        CompletableFuture<Void> written = (persistent
                ? store.persist(record, name, present, List.of())
                : chat.everything().thenCompose(page ->
                        store.persist(record, name, present, page.messages())))
                .toCompletableFuture();
        writes.writeFor(member, reply, written, "naming", "the room could not be named", () -> {
            if (!persistent) {
                persistent = true;
                chat.kept();
            }
            memberships.kept(present);
            member.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
            broadcastExcept(memberId, new RoomEvent.RoomRenamed(id, name, member.profile.userId()));
        });
    }

    private void doRename(MemberSink sink, String memberId, String name, Reply reply) {
        RoomMember member = access.allowedNow(sink, memberId, RoomAction.RENAME, reply,
                () -> doRename(sink, memberId, name, reply));
        if (member == null) {
            return;
        }
        if (!persistent) {
            sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.NOT_PERSISTENT,
                    "the room has no name yet; room.name keeps it"));
            return;
        }
        writes.writeFor(member, reply, store.rename(id, name), "renaming", "the room could not be renamed", () -> {
            member.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
            broadcast(new RoomEvent.RoomRenamed(id, name, member.profile.userId()));
        });
    }

    /**
     * Refused with {@code call_in_progress} while the call has a participant: the mode decides every
     * participant's ICE policy, which candidates are relayed and the relay's policy for the room's allocations,
     * so switching it mid-call would need new credentials and an ICE restart for everyone. With no call running
     * it applies to the next one (and to {@code room.joined}'s {@code relayOnly} at once).
     */
    private void doUpdateSettings(MemberSink sink, String memberId, boolean relayOnly, Reply reply) {
        RoomMember member = access.allowedNow(sink, memberId, RoomAction.SETTINGS, reply,
                () -> doUpdateSettings(sink, memberId, relayOnly, reply));
        if (member == null) {
            return;
        }
        if (!call.isEmpty()) {
            sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.CALL_IN_PROGRESS,
                    "the room's call has participants; its privacy mode changes only between calls"));
            return;
        }
        if (!persistent) {
            applySettings(member, relayOnly, reply);
            return;
        }
        // Call joins wait for the write (doJoinCall), so the call is still empty when it completes.
        writes.writeFor(member, reply, store.updateSettings(id, relayOnly), "changing the settings",
                "the settings could not be stored; nothing changed", () -> applySettings(member, relayOnly, reply));
    }

    private void applySettings(RoomMember by, boolean relayOnly, Reply reply) {
        call.relayOnly(relayOnly);
        record = new RoomRecord(record.id(), relayOnly, record.createdBy(), record.createdAtMillis(),
                record.direct());
        by.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
        broadcast(new RoomEvent.RoomSettingsChanged(id, relayOnly, by.profile.userId()));
    }

    private void doClose(MemberSink sink, String memberId, Reply reply) {
        RoomMember member = access.allowedNow(sink, memberId, RoomAction.CLOSE, reply,
                () -> doClose(sink, memberId, reply));
        if (member == null) {
            return;
        }
        deleteThenClose(() -> {
            closeEveryone(member.profile.userId(), member, reply);
            unload();
        }, failure -> member.sink.reply(reply, ServerMessage.Error.of(reply.requestId(),
                StorageErrors.codeOf(failure), "the room could not be closed; nothing changed")), () -> { });
    }

    /**
     * Closes the room with {@code closeNow}, whoever asked: a kept room is deleted first. Everything else waits for
     * the delete (and finds no member after it: {@code not_in_room}); chat appends already in flight finish first, so
     * that no message is written after it. A failed delete changes nothing and goes to {@code failed}; {@code then}
     * runs after what waited.
     */
    private void deleteThenClose(Runnable closeNow, Consumer<Throwable> failed, Runnable then) {
        if (!persistent) {
            closeNow.run();
            return;
        }
        writes.begin();
        chat.afterPending(() -> writes.complete(store.close(id), (done, failure) -> {
            if (failure != null) {
                log.warn("room {}: closing failed: {}", id, StorageErrors.describe(failure));
                failed.accept(failure);
            } else {
                closeNow.run();
            }
        }, then));
    }

    /** {@link RoomSystemChanges.Close}: {@link #deleteThenClose} with everyone out by {@link #BY_SYSTEM}. */
    private void closeForSystem(Runnable closedNow, Consumer<Throwable> failed, Runnable then) {
        deleteThenClose(() -> {
            closeEveryone(BY_SYSTEM, null, null);
            unload();
            closedNow.run();
        }, failed, then);
    }

    /**
     * Every member leaves the call (revoking its TURN credentials) and the room; a member who closed it gets
     * {@code ok}, every other member session {@code room.closed} by {@code by}. The caller unloads the room, and a
     * later join finds no room.
     *
     * @param closer null when the server closed it
     */
    private void closeEveryone(String by, RoomMember closer, Reply reply) {
        String closerId = closer == null ? null : closer.profile.memberId();
        List<RoomMember> gone = new ArrayList<>(members.values());
        members.clear();
        for (RoomMember m : gone) {
            call.remove(m.profile.memberId(), "room_closed");
        }
        if (closer != null) {
            closer.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
        }
        RoomEvent event = new RoomEvent.RoomClosed(id, by);
        for (RoomMember m : gone) {
            stats.memberRemoved();
            m.cancelTyping();
            if (!m.profile.memberId().equals(closerId)) {
                fanOut.event(m.sink, event);
            }
        }
        fanOut.flush();
        for (RoomMember m : gone) {
            m.sink.detached(id);
        }
    }

    private void doTyping(MemberSink sink, String memberId, boolean active, Reply reply) {
        RoomMember member = access.allowed(sink, memberId, RoomAction.TYPING, reply);
        if (member == null) {
            return;
        }
        typing.typing(member, active);
        member.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
    }

    private void doHistory(MemberSink sink, String memberId, Long before, Long after, int limit, Reply reply) {
        RoomMember member = access.allowed(sink, memberId, RoomAction.CHAT_HISTORY, reply);
        if (member == null) {
            return;
        }
        chat.history(member, before, after, limit, reply);
    }

    // Edits, deletes and read markers wait for a room write like chat does; the room decides the rights
    // (RoomRights) and RoomChat delivers the outcome in order with the chat.

    private void doEditChat(MemberSink sink, String memberId, ClientMessage.EditChat edit, Reply reply) {
        RoomMember member = access.allowedNow(sink, memberId, RoomAction.CHAT_EDIT, reply,
                () -> doEditChat(sink, memberId, edit, reply));
        if (member == null) {
            return;
        }
        chat.edit(member, RoomRights.mayChangeOthers(member.role, member.serverAdmin, RoomAction.CHAT_EDIT), edit,
                reply);
    }

    private void doDeleteChat(MemberSink sink, String memberId, ClientMessage.DeleteChat delete, Reply reply) {
        RoomMember member = access.allowedNow(sink, memberId, RoomAction.CHAT_DELETE, reply,
                () -> doDeleteChat(sink, memberId, delete, reply));
        if (member == null) {
            return;
        }
        chat.delete(member, RoomRights.mayChangeOthers(member.role, member.serverAdmin, RoomAction.CHAT_DELETE),
                delete, reply);
    }

    private void doMarkRead(MemberSink sink, String memberId, long messageId, Reply reply) {
        RoomMember member = access.allowedNow(sink, memberId, RoomAction.CHAT_READ, reply,
                () -> doMarkRead(sink, memberId, messageId, reply));
        if (member == null) {
            return;
        }
        chat.markRead(member, messageId, reply);
    }

    /** A kicked session leaves the room and its call (the one exit path, which revokes its TURN credentials). */
    private void expel(RoomMember member) {
        members.remove(member.profile.memberId());
        stats.memberRemoved();
        member.cancelTyping();
        call.remove(member.profile.memberId(), "kicked");
    }

    private List<MemberView> snapshot() {
        List<MemberView> views = new ArrayList<>(members.size());
        for (RoomMember m : members.values()) {
            views.add(m.view());
        }
        return views;
    }

    private void broadcast(RoomEvent event) {
        for (RoomMember m : members.values()) {
            fanOut.event(m.sink, event);
        }
        fanOut.flush();
    }

    private void broadcastExcept(String memberId, RoomEvent event) {
        for (Map.Entry<String, RoomMember> e : members.entrySet()) {
            if (!e.getKey().equals(memberId)) {
                fanOut.event(e.getValue().sink, event);
            }
        }
        fanOut.flush();
    }

    /**
     * The room has no member (or may have none): unloads it at once when the idle time is zero, else arms the idle
     * timer, which a join disarms.
     */
    private void emptied() {
        if (!members.isEmpty() || closed) {
            return;
        }
        // Ephemeral rooms are gone once empty; a persistent one stays loaded a while for its members' return.
        Duration idle = persistent ? settings.idleUnload() : Duration.ZERO;
        if (idle.isZero()) {
            unload();
        } else if (idleTimer == null) {
            idleTimer = loop.schedule(() -> {
                idleTimer = null;
                if (members.isEmpty()) {
                    unload();
                }
            }, idle);
        }
    }

    /** Closes the call and leaves the directory; a join that still arrives is refused with {@code unknown_room}. */
    private void unload() {
        // Once only: a close waiting for its delete may find the room already unloaded by its last member leaving.
        if (closed) {
            return;
        }
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        call.close("room_closed");
        stats.roomClosed();
        stats.roomUnloaded(persistent);
        onClosed.run();
    }

    // --- changes the server itself makes (the host-platform API): RoomSystemChanges.

    /** Who the room's events name for a change the server made. Never a user id a provider hands out as a member's. */
    public static final String BY_SYSTEM = "system";

    /** Renames the kept room; every member gets {@code room.renamed} by {@link #BY_SYSTEM} after the commit. */
    public CompletableFuture<Void> renameBySystem(String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(() -> system.rename(name, done));
        return done;
    }

    /** Closes the room like its owner's {@code room.close}: deleted from the store, every member out. */
    public CompletableFuture<Void> closeBySystem() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(() -> system.close(done));
        return done;
    }

    /** Posts {@code text} as a system message: stored in the chat and delivered to every member in order. */
    public CompletableFuture<ChatMessageView> postBySystem(String text) {
        CompletableFuture<ChatMessageView> done = new CompletableFuture<>();
        submit(() -> system.post(text, done));
        return done;
    }
}
