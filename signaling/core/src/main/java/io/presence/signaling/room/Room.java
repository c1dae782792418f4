package io.presence.signaling.room;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.Limit;
import io.presence.signaling.protocol.MemberView;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.Cancellable;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.Stages;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.RoomMembership;
import io.presence.signaling.storage.RoomRecord;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One room: its members, typing indicators and call; its chat through the room's {@link ChatLog}.
 *
 * <p>Concurrency: an actor. Every public method may be called from any thread and only enqueues a task on the
 * room's event loop; all state below is touched on that loop alone, so the room holds no locks. Results go out
 * through each member's {@link MemberSink}, in the order the room produced them.
 */
public final class Room {
    private static final Logger log = LoggerFactory.getLogger(Room.class);
    public static final String ROLE_OWNER = "owner";
    public static final String ROLE_MEMBER = "member";
    public static final String STATE_ONLINE = "online";
    public static final String STATE_RECONNECTING = "reconnecting";

    private final String id;
    private final RoomRecord record;
    private final RoomStore store;
    private final ChatStore chats;
    private final Loop loop;
    private final RoomSettings settings;
    private final TimeSource time;
    private final RoomStats stats;
    private final Runnable onClosed;
    private final LiveCall call;

    // Loop-confined state.
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final FanOut fanOut;
    /** Chat messages handed to the store and not delivered yet, in the order the room accepted them. */
    private final ArrayDeque<PendingChat> pendingChats = new ArrayDeque<>(0);
    private boolean closed;
    /** The room's chat; replaced by the persistent log once the room is named. */
    private ChatLog chat;
    /** Kept by the store (loaded from it, or named): its chat is the store's, naming again renames it. */
    private boolean persistent;
    /**
     * Set while a {@code room.name} is being written: chat and further names wait in {@link #waitingForName}, so
     * that no message lands in the in-memory log after its history was handed to the store.
     */
    private boolean naming;
    private final ArrayDeque<Runnable> waitingForName = new ArrayDeque<>(0);
    /** Armed while the room is empty and the idle time is not zero; unloads the room when it fires. */
    private Cancellable idleTimer;

    private static final class Member {
        final MemberSink sink;
        MemberProfile profile;
        final String role;
        String state = STATE_ONLINE;
        Cancellable typingExpiry;

        Member(MemberSink sink, MemberProfile profile, String role) {
            this.sink = sink;
            this.profile = profile;
            this.role = role;
        }

        MemberView view() {
            return new MemberView(profile.memberId(), profile.userId(), profile.displayName(), profile.avatarUrl(),
                    state, role);
        }
    }

    /**
     * A chat message whose append has not completed, or has completed behind one that has not: delivered once
     * every message accepted before it is.
     */
    private static final class PendingChat {
        final Member member;
        final Reply reply;
        final String clientMsgId;
        final long acceptedNanos;
        AppendResult result;
        Throwable failure;
        boolean done;

        PendingChat(Member member, Reply reply, String clientMsgId, long acceptedNanos) {
            this.member = member;
            this.reply = reply;
            this.clientMsgId = clientMsgId;
            this.acceptedNanos = acceptedNanos;
        }
    }

    Room(RoomRecord record, boolean persistent, Loop loop, RoomSettings settings, TimeSource time, RoomStats stats,
         RoomStore store, ChatStore chats, Runnable onClosed, LiveCall call) {
        this.id = record.id();
        this.record = record;
        this.persistent = persistent;
        this.store = store;
        this.chats = chats;
        this.chat = chats.open(id);
        this.call = call;
        this.loop = loop;
        this.settings = settings;
        this.time = time;
        this.stats = stats;
        this.onClosed = onClosed;
        this.fanOut = new FanOut(loop);
        if (!settings.idleUnload().isZero()) {
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
    public void join(MemberSink sink, MemberProfile profile, boolean asOwner, Reply reply) {
        submit(() -> doJoin(sink, profile, asOwner, reply));
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
     * Names the room (its owner or creator only), which makes it persistent: the store keeps it with its members
     * and the chat it holds; answered {@code ok} after the commit.
     */
    public void name(MemberSink sink, String memberId, String name, Reply reply) {
        submit(() -> doName(sink, memberId, name, reply));
    }

    public void typing(MemberSink sink, String memberId, boolean active, Reply reply) {
        submit(() -> doTyping(sink, memberId, active, reply));
    }

    public void history(MemberSink sink, String memberId, Long before, int limit, Reply reply) {
        submit(() -> doHistory(sink, memberId, before, limit, reply));
    }

    /** Joins the room's call (members only); the reply is {@code live.call} with peers and ICE configuration. */
    public void joinCall(MemberSink sink, String memberId, Reply reply) {
        submit(() -> {
            Member member = members.get(memberId);
            if (member == null) {
                notMember(sink, reply);
            } else {
                call.join(memberId, member.profile, member.sink, reply);
            }
        });
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
        submit(() -> call.leave(memberId, sink, reply));
    }

    public void signal(MemberSink sink, String memberId, ClientMessage.Signal signal, Reply reply) {
        submit(() -> call.signal(memberId, signal, sink, reply));
    }

    public void mediaState(MemberSink sink, String memberId, ClientMessage.MediaState state, Reply reply) {
        submit(() -> call.mediaState(memberId, state, sink, reply));
    }

    public void refreshCredentials(MemberSink sink, String memberId, Reply reply) {
        submit(() -> call.refresh(memberId, sink, reply));
    }

    /** Whether the room's call is in privacy mode (fixed at creation). */
    public boolean relayOnly() {
        return call.relayOnly();
    }

    /** Runs {@code task} now when on the room's loop (a store completing there), else queues it there. */
    private void onLoop(Runnable task) {
        if (loop.inLoop()) {
            task.run();
        } else {
            submit(task);
        }
    }

    private void submit(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // Only while the appliance shuts its loops down; the room dies with them.
        }
    }

    private void doJoin(MemberSink sink, MemberProfile profile, boolean asOwner, Reply reply) {
        if (closed) {
            sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.UNKNOWN_ROOM, "no such room"));
            sink.detached(id);
            return;
        }
        Member existing = members.get(profile.memberId());
        if (existing == null) {
            if (members.size() >= settings.membersPerRoom()) {
                sink.reply(reply, ServerMessage.Error.limit(reply.requestId(), Limit.MEMBERS_PER_ROOM,
                        "the room has its maximum of " + settings.membersPerRoom() + " members"));
                sink.detached(id);
                emptied();
                return;
            }
            existing = new Member(sink, profile, asOwner ? ROLE_OWNER : ROLE_MEMBER);
            members.put(profile.memberId(), existing);
            if (idleTimer != null) {
                idleTimer.cancel();
                idleTimer = null;
            }
            stats.memberAdded();
            broadcastExcept(profile.memberId(), new RoomEvent.MemberJoined(id, existing.view()));
        }
        sink.reply(reply, new ServerMessage.RoomJoined(reply.requestId(), id, profile.memberId(), existing.role,
                call.relayOnly(), snapshot()));
    }

    private void doLeave(MemberSink sink, String memberId, String reason, Reply reply) {
        Member member = members.remove(memberId);
        if (member == null) {
            notMember(sink, reply);
            sink.detached(id);
            return;
        }
        stats.memberRemoved();
        cancelTyping(member);
        // Leaving the room leaves its call: one path, which revokes the TURN credentials.
        call.remove(memberId, "left".equals(reason) ? "room_left" : reason);
        member.sink.reply(reply, new ServerMessage.RoomLeft(reply.requestId(), id));
        member.sink.detached(id);
        broadcast(new RoomEvent.MemberLeft(id, memberId, reason));
        emptied();
    }

    private void doSetConnected(String memberId, boolean connected) {
        Member member = members.get(memberId);
        if (member == null) {
            return;
        }
        String state = connected ? STATE_ONLINE : STATE_RECONNECTING;
        if (state.equals(member.state)) {
            return;
        }
        member.state = state;
        if (!connected) {
            clearTyping(member);
        }
        broadcastExcept(memberId, connected ? new RoomEvent.MemberBack(id, memberId)
                : new RoomEvent.MemberReconnecting(id, memberId));
    }

    private void doUpdateProfile(MemberProfile profile) {
        Member member = members.get(profile.memberId());
        if (member == null) {
            return;
        }
        member.profile = profile;
        broadcast(new RoomEvent.MemberUpdated(id, member.view()));
    }

    private void doChat(MemberSink sink, String memberId, ClientMessage.SendChat message, Reply reply, long acceptedNanos) {
        Member member = members.get(memberId);
        if (member == null) {
            notMember(sink, reply);
            return;
        }
        if (naming) {
            waitingForName.add(() -> doChat(sink, memberId, message, reply, acceptedNanos));
            return;
        }
        ChatDraft draft = new ChatDraft(time.millis(), memberId, member.profile.userId(),
                member.profile.displayName(), message.text(), message.replyTo(), message.clientMsgId());
        CompletableFuture<AppendResult> append = chat.append(draft).toCompletableFuture();
        if (pendingChats.isEmpty() && append.isDone()) {
            // The in-memory store's case: delivered in this task, with nothing to queue.
            deliverChat(member, reply, message.clientMsgId(), acceptedNanos, Stages.valueOf(append), Stages.failureOf(append));
            return;
        }
        PendingChat pending = new PendingChat(member, reply, message.clientMsgId(), acceptedNanos);
        pendingChats.add(pending);
        append.whenComplete((result, failure) -> onLoop(() -> {
            pending.result = result;
            pending.failure = failure;
            pending.done = true;
            deliverCompletedChats();
        }));
    }

    /** Delivers the completed appends at the head of the queue; one still in flight holds back those behind it. */
    private void deliverCompletedChats() {
        PendingChat head;
        while ((head = pendingChats.peek()) != null && head.done) {
            pendingChats.poll();
            deliverChat(head.member, head.reply, head.clientMsgId, head.acceptedNanos, head.result, head.failure);
        }
    }

    private void deliverChat(Member member, Reply reply, String clientMsgId, long acceptedNanos, AppendResult result,
                             Throwable failure) {
        String memberId = member.profile.memberId();
        if (failure == null && !(result instanceof AppendResult.UnknownReplyTo)) {
            stats.chatAcknowledged(persistent, acceptedNanos);
        }
        if (failure != null) {
            log.warn("room {}: storing a chat message failed: {}", id, StorageErrors.describe(failure));
            member.sink.reply(reply, ServerMessage.Error.of(reply.requestId(), StorageErrors.codeOf(failure),
                    "the message could not be stored; it was not delivered"));
        } else if (result instanceof AppendResult.Duplicate d) {
            stats.chatAccepted(true);
            member.sink.reply(reply, new ServerMessage.ChatAck(reply.requestId(), id, clientMsgId, d.earlier().id(),
                    d.earlier().ts(), true));
        } else if (result instanceof AppendResult.UnknownReplyTo) {
            member.sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.INVALID_FIELD,
                    "field 'replyTo' names no message in this room's history"));
        } else {
            ChatMessageView stored = ((AppendResult.Stored) result).message();
            stats.chatAccepted(false);
            // Through the fan-out, so that the ack and the sender's copy of the event reach the sender's loop in
            // one task (and one flush); the broadcast below flushes it, and nothing in between calls a sink
            // directly.
            fanOut.reply(member.sink, reply, new ServerMessage.ChatAck(reply.requestId(), id, clientMsgId,
                    stored.id(), stored.ts(), false));
            if (members.get(memberId) == member) {
                clearTyping(member);
            }
            broadcast(new RoomEvent.ChatPosted(id, stored, acceptedNanos));
        }
    }

    private void doName(MemberSink sink, String memberId, String name, Reply reply) {
        Member member = members.get(memberId);
        if (member == null) {
            notMember(sink, reply);
            return;
        }
        if (!mayName(member)) {
            sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.FORBIDDEN,
                    "only the room's owner may name it"));
            return;
        }
        if (naming) {
            waitingForName.add(() -> doName(sink, memberId, name, reply));
            return;
        }
        naming = true;
        List<RoomMembership> memberships = memberships();
        // A kept room's chat is in the store already; an ephemeral room hands over what it holds in memory, whose
        // ids the persistent log continues from.
        CompletableFuture<Void> written = (persistent
                ? store.persist(record, name, memberships, List.of())
                : chat.page(null, Integer.MAX_VALUE).thenCompose(page ->
                        store.persist(record, name, memberships, page.messages())))
                .toCompletableFuture();
        Stages.continueOn(written, loop, (done, failure) -> {
            naming = false;
            if (failure != null) {
                log.warn("room {}: naming failed: {}", id, StorageErrors.describe(failure));
                member.sink.reply(reply, ServerMessage.Error.of(reply.requestId(), StorageErrors.codeOf(failure),
                        "the room could not be named"));
            } else {
                if (!persistent) {
                    persistent = true;
                    chat = chats.open(id);
                }
                member.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
            }
            Runnable next;
            while (!naming && (next = waitingForName.poll()) != null) {
                next.run();
            }
        });
    }

    private boolean mayName(Member member) {
        return ROLE_OWNER.equals(member.role) || record.createdBy().equals(member.profile.userId());
    }

    /** One membership per user (a user may be here with several sessions); the creator and owners as owner. */
    private List<RoomMembership> memberships() {
        Map<String, String> roles = new HashMap<>();
        for (Member m : members.values()) {
            String userId = m.profile.userId();
            boolean owner = mayName(m);
            if (owner || !roles.containsKey(userId)) {
                roles.put(userId, owner ? ROLE_OWNER : ROLE_MEMBER);
            }
        }
        List<RoomMembership> out = new ArrayList<>(roles.size());
        roles.forEach((user, role) -> out.add(new RoomMembership(user, role)));
        return out;
    }

    private void doTyping(MemberSink sink, String memberId, boolean active, Reply reply) {
        Member member = members.get(memberId);
        if (member == null) {
            notMember(sink, reply);
            return;
        }
        if (active) {
            boolean wasActive = member.typingExpiry != null;
            cancelTyping(member);
            member.typingExpiry = loop.schedule(() -> {
                member.typingExpiry = null;
                if (members.get(memberId) == member) {
                    broadcast(new RoomEvent.MemberTyping(id, memberId, false));
                }
            }, settings.typingTimeout());
            if (!wasActive) {
                broadcast(new RoomEvent.MemberTyping(id, memberId, true));
            }
        } else {
            clearTyping(member);
        }
        member.sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
    }

    private void doHistory(MemberSink sink, String memberId, Long before, int limit, Reply reply) {
        Member member = members.get(memberId);
        if (member == null) {
            notMember(sink, reply);
            return;
        }
        Stages.continueOn(chat.page(before, limit), loop, (page, failure) -> {
            if (failure != null) {
                log.warn("room {}: reading the chat history failed: {}", id, StorageErrors.describe(failure));
                member.sink.reply(reply, ServerMessage.Error.of(reply.requestId(), StorageErrors.codeOf(failure),
                        "the history could not be read"));
            } else {
                member.sink.reply(reply, new ServerMessage.HistoryPage(reply.requestId(), id, page.messages(),
                        page.hasMore()));
            }
        });
    }

    private void notMember(MemberSink sink, Reply reply) {
        sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.NOT_IN_ROOM, "not a member of room " + id));
    }

    private void clearTyping(Member member) {
        if (member.typingExpiry != null) {
            cancelTyping(member);
            broadcast(new RoomEvent.MemberTyping(id, member.profile.memberId(), false));
        }
    }

    private static void cancelTyping(Member member) {
        if (member.typingExpiry != null) {
            member.typingExpiry.cancel();
            member.typingExpiry = null;
        }
    }

    private List<MemberView> snapshot() {
        List<MemberView> views = new ArrayList<>(members.size());
        for (Member m : members.values()) {
            views.add(m.view());
        }
        return views;
    }

    private void broadcast(RoomEvent event) {
        for (Member m : members.values()) {
            fanOut.event(m.sink, event);
        }
        fanOut.flush();
    }

    private void broadcastExcept(String memberId, RoomEvent event) {
        for (Map.Entry<String, Member> e : members.entrySet()) {
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
        Duration idle = settings.idleUnload();
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
        closed = true;
        call.close("room_closed");
        stats.roomClosed();
        onClosed.run();
    }
}
