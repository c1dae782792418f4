package io.presence.signaling.room;

import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.Stages;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.storage.AppendResult;
import io.presence.signaling.storage.ChangeResult;
import io.presence.signaling.storage.ChangeRule;
import io.presence.signaling.storage.ChatDraft;
import io.presence.signaling.storage.ChatLog;
import io.presence.signaling.storage.ChatPage;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.PageResult;
import io.presence.signaling.storage.ReadResult;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A room's chat: its {@link ChatLog}, the messages and changes in flight to it, and their delivery in the order the
 * room accepted them; history pages and read markers.
 *
 * <p>Concurrency: owned by one {@link Room} and touched on the room's loop alone, like the rest of its state. The
 * room checks membership and holds requests back while a room write is in flight before it calls in here.
 */
final class RoomChat {
    // Logged under the room's name: these are the room's failures to the operator, whichever class notices them.
    private static final Logger log = LoggerFactory.getLogger(Room.class);

    private final String id;
    private final ChatStore chats;
    private final Loop loop;
    private final RoomSettings settings;
    private final TimeSource time;
    private final RoomStats stats;
    private final FanOut fanOut;
    /** The room's members, read for the user's other sessions a read marker goes to; the room changes it. */
    private final Map<String, RoomMember> members;
    private final BooleanSupplier persistent;
    private final Consumer<RoomEvent> broadcast;
    /** Called for a sender whose message went out while it is still a member: its typing indicator ends. */
    private final Consumer<RoomMember> posted;

    /** The room's chat; replaced by the persistent log once the room is named. */
    private ChatLog chat;
    /** Chat messages handed to the store and not delivered yet, in the order the room accepted them. */
    private final ArrayDeque<PendingChat> pendingChats = new ArrayDeque<>(0);
    /** A {@code room.close} waiting for the chat appends in flight, so that none lands after the delete. */
    private Runnable afterPendingChats;

    /**
     * A chat message whose append has not completed, or has completed behind one that has not: delivered once
     * every message accepted before it is.
     */
    private static final class PendingChat {
        final RoomMember member;
        final Reply reply;
        final String clientMsgId;
        final long acceptedNanos;
        AppendResult result;
        Throwable failure;
        boolean done;
        /** Set for an edit or delete queued behind chats: what to deliver, in place of a chat message. */
        Runnable outcome;

        PendingChat(RoomMember member, Reply reply, String clientMsgId, long acceptedNanos) {
            this.member = member;
            this.reply = reply;
            this.clientMsgId = clientMsgId;
            this.acceptedNanos = acceptedNanos;
        }
    }

    RoomChat(String id, ChatStore chats, Loop loop, RoomSettings settings, TimeSource time, RoomStats stats,
             FanOut fanOut, Map<String, RoomMember> members, BooleanSupplier persistent,
             Consumer<RoomEvent> broadcast, Consumer<RoomMember> posted) {
        this.id = id;
        this.chats = chats;
        this.chat = chats.open(id);
        this.loop = loop;
        this.settings = settings;
        this.time = time;
        this.stats = stats;
        this.fanOut = fanOut;
        this.members = members;
        this.persistent = persistent;
        this.broadcast = broadcast;
        this.posted = posted;
    }

    /** Everything the log holds, oldest first: an ephemeral room's chat, handed to the store when it is named. */
    CompletionStage<ChatPage> everything() {
        return chat.page(null, Integer.MAX_VALUE);
    }

    /** The store keeps the room now: its log takes over, continuing the ids of the history handed to it. */
    void kept() {
        chat = chats.open(id);
    }

    /** Runs {@code then} once no chat append or change is in flight: now if none is. */
    void afterPending(Runnable then) {
        if (pendingChats.isEmpty()) {
            then.run();
        } else {
            afterPendingChats = then;
        }
    }

    void send(RoomMember member, ClientMessage.SendChat message, Reply reply, long acceptedNanos) {
        String memberId = member.profile.memberId();
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
            if (head.outcome != null) {
                head.outcome.run();
            } else {
                deliverChat(head.member, head.reply, head.clientMsgId, head.acceptedNanos, head.result, head.failure);
            }
        }
        if (pendingChats.isEmpty() && afterPendingChats != null) {
            Runnable next = afterPendingChats;
            afterPendingChats = null;
            next.run();
        }
    }

    private void deliverChat(RoomMember member, Reply reply, String clientMsgId, long acceptedNanos,
                             AppendResult result, Throwable failure) {
        String memberId = member.profile.memberId();
        if (failure == null && !(result instanceof AppendResult.UnknownReplyTo)) {
            stats.chatAcknowledged(persistent.getAsBoolean(), acceptedNanos);
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
                posted.accept(member);
            }
            broadcast.accept(new RoomEvent.ChatPosted(id, stored, acceptedNanos));
        }
    }

    void history(RoomMember member, Long before, Long after, int limit, Reply reply) {
        Stages.continueOn(chat.page(before, after, limit), loop, (result, failure) -> {
            if (failure != null) {
                log.warn("room {}: reading the chat history failed: {}", id, StorageErrors.describe(failure));
                member.sink.reply(reply, ServerMessage.Error.of(reply.requestId(), StorageErrors.codeOf(failure),
                        "the history could not be read"));
            } else if (result instanceof PageResult.UnknownCursor unknown) {
                member.sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.INVALID_FIELD,
                        "field '" + unknown.field() + "' names no message in this room"));
            } else {
                ChatPage page = ((PageResult.Found) result).page();
                member.sink.reply(reply, new ServerMessage.HistoryPage(reply.requestId(), id, page.messages(),
                        page.hasMore()));
            }
        });
    }

    // --- edits, deletes and read markers ---
    //
    // The room decides the rights (ChangeRule) and the log applies them to the message as it keeps it, in the step
    // that writes, so no change slips in between. An edit or delete is queued behind the chat messages accepted
    // before it (pendingChats) and its event goes out in that order: a member never sees chat.edited for a
    // message before its chat.message. A message still being appended is not in its log yet, so a change naming
    // it is answered unknown_message: its id reaches clients only with its delivery, after the append.

    /** @param owner whether the member may edit others' messages ({@link RoomRights#mayChangeOthers}) */
    void edit(RoomMember member, boolean owner, ClientMessage.EditChat edit, Reply reply) {
        String userId = member.profile.userId();
        boolean reasoned = edit.reason() != null && !edit.reason().isBlank();
        long now = time.millis();
        Duration window = settings.chatEditWindow();
        ChangeRule rule = current -> {
            if (ChatMessageView.isDeleted(current)) {
                return new ChangeResult.Refused(ErrorCode.FORBIDDEN, "a deleted message cannot be edited");
            }
            boolean own = userId.equals(current.fromUserId());
            if (own && !window.isZero() && now - current.ts() <= window.toMillis()) {
                return null;
            }
            if (owner) {
                return own || reasoned ? null : new ChangeResult.Refused(ErrorCode.INVALID_FIELD,
                        "field 'reason' is required to edit another member's message");
            }
            if (own) {
                return new ChangeResult.Refused(ErrorCode.FORBIDDEN, window.isZero()
                        ? "messages cannot be edited on this server"
                        : "the edit window of " + window.toMinutes() + " minutes after sending has passed");
            }
            return new ChangeResult.Refused(ErrorCode.FORBIDDEN, "only the sender or a room owner may edit a message");
        };
        queueChange(member, reply, chat.edit(edit.messageId(), edit.text(), now, userId,
                reasoned ? edit.reason() : null, rule), "edited", changed ->
                new RoomEvent.ChatEdited(id, changed));
    }

    /** @param owner whether the member may delete others' messages ({@link RoomRights#mayChangeOthers}) */
    void delete(RoomMember member, boolean owner, ClientMessage.DeleteChat delete, Reply reply) {
        String userId = member.profile.userId();
        boolean reasoned = delete.reason() != null && !delete.reason().isBlank();
        ChangeRule rule = current -> {
            if (userId.equals(current.fromUserId())) {
                return null;
            }
            if (owner) {
                return reasoned ? null : new ChangeResult.Refused(ErrorCode.INVALID_FIELD,
                        "field 'reason' is required to delete another member's message");
            }
            return new ChangeResult.Refused(ErrorCode.FORBIDDEN,
                    "only the sender, a room owner or a room admin may delete a message");
        };
        String reason = reasoned ? delete.reason() : null;
        queueChange(member, reply, chat.delete(delete.messageId(), time.millis(), userId, reason, rule), "deleted",
                deleted -> new RoomEvent.ChatDeleted(id, deleted.id(), deleted.deletedBy(), deleted.deleteReason()));
    }

    /** Delivers the change's outcome in order with the chat: behind every message accepted before it. */
    private void queueChange(RoomMember member, Reply reply, CompletionStage<ChangeResult> stage, String what,
                             Function<ChatMessageView, RoomEvent> event) {
        CompletableFuture<ChangeResult> change = stage.toCompletableFuture();
        if (pendingChats.isEmpty() && change.isDone()) {
            deliverChange(member, reply, what, event, Stages.valueOf(change), Stages.failureOf(change));
            return;
        }
        PendingChat pending = new PendingChat(member, reply, null, 0);
        pendingChats.add(pending);
        change.whenComplete((result, failure) -> onLoop(() -> {
            pending.outcome = () -> deliverChange(member, reply, what, event, result, failure);
            pending.done = true;
            deliverCompletedChats();
        }));
    }

    private void deliverChange(RoomMember member, Reply reply, String what,
                               Function<ChatMessageView, RoomEvent> event, ChangeResult result,
                               Throwable failure) {
        String rid = reply.requestId();
        if (failure != null) {
            log.warn("room {}: a chat message could not be {}: {}", id, what, StorageErrors.describe(failure));
            member.sink.reply(reply, ServerMessage.Error.of(rid, StorageErrors.codeOf(failure),
                    "the message could not be " + what + "; nothing was changed"));
        } else if (result instanceof ChangeResult.UnknownMessage) {
            member.sink.reply(reply, ServerMessage.Error.of(rid, ErrorCode.UNKNOWN_MESSAGE,
                    "no such message in this room"));
        } else if (result instanceof ChangeResult.Refused refused) {
            member.sink.reply(reply, ServerMessage.Error.of(rid, refused.code(), refused.message()));
        } else if (result instanceof ChangeResult.Unchanged) {
            member.sink.reply(reply, new ServerMessage.Ok(rid));
        } else {
            ChatMessageView changed = ((ChangeResult.Changed) result).message();
            fanOut.reply(member.sink, reply, new ServerMessage.Ok(rid));
            broadcast.accept(event.apply(changed));
        }
    }

    void markRead(RoomMember member, long messageId, Reply reply) {
        String memberId = member.profile.memberId();
        String userId = member.profile.userId();
        Stages.continueOn(chat.markRead(userId, messageId), loop, (result, failure) -> {
            String rid = reply.requestId();
            if (failure != null) {
                log.warn("room {}: a read marker could not be stored: {}", id, StorageErrors.describe(failure));
                member.sink.reply(reply, ServerMessage.Error.of(rid, StorageErrors.codeOf(failure),
                        "the read marker could not be stored"));
            } else if (result instanceof ReadResult.UnknownMessage) {
                member.sink.reply(reply, ServerMessage.Error.of(rid, ErrorCode.UNKNOWN_MESSAGE,
                        "no such message in this room"));
            } else if (result instanceof ReadResult.Moved moved) {
                fanOut.reply(member.sink, reply, new ServerMessage.Ok(rid));
                // Only the user's other sessions: their devices clear the badge; nobody else learns what one read.
                RoomEvent read = new RoomEvent.ChatRead(id, userId, moved.messageId());
                for (Map.Entry<String, RoomMember> e : members.entrySet()) {
                    if (!e.getKey().equals(memberId) && userId.equals(e.getValue().profile.userId())) {
                        fanOut.event(e.getValue().sink, read);
                    }
                }
                fanOut.flush();
            } else {
                member.sink.reply(reply, new ServerMessage.Ok(rid));
            }
        });
    }

    /** Runs {@code task} now when on the room's loop (a store completing there), else queues it there. */
    private void onLoop(Runnable task) {
        if (loop.inLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // Only while the appliance shuts its loops down; the room dies with them.
        }
    }

    // --- system messages (the host-platform API): a chat message from no member, in order with the members' ones.

    /**
     * The sender of a system message, as member id, user id and name. No member id is ever {@code system} (the
     * server makes them: 22 random characters), so clients tell a system message by {@code fromMemberId}.
     */
    public static final String SYSTEM = "system";

    /** Appends {@code text} from {@link #SYSTEM} and delivers it to every member behind the chats in flight. */
    void sendSystem(String text, CompletableFuture<ChatMessageView> done) {
        long acceptedNanos = time.nanos();
        ChatDraft draft = new ChatDraft(time.millis(), SYSTEM, SYSTEM, SYSTEM, text, null, null);
        CompletableFuture<AppendResult> append = chat.append(draft).toCompletableFuture();
        PendingChat pending = new PendingChat(null, null, null, acceptedNanos);
        pending.outcome = () -> {
            if (pending.failure != null || !(pending.result instanceof AppendResult.Stored stored)) {
                log.warn("room {}: storing a system message failed: {}", id,
                        pending.failure == null ? String.valueOf(pending.result)
                                : StorageErrors.describe(pending.failure));
                done.completeExceptionally(new RoomChangeRefused(pending.failure == null
                        ? ErrorCode.INTERNAL : StorageErrors.codeOf(pending.failure),
                        "the message could not be stored; it was not delivered"));
                return;
            }
            broadcast.accept(new RoomEvent.ChatPosted(id, stored.message(), acceptedNanos));
            done.complete(stored.message());
        };
        pendingChats.add(pending);
        append.whenComplete((result, failure) -> onLoop(() -> {
            pending.result = result;
            pending.failure = failure;
            pending.done = true;
            deliverCompletedChats();
        }));
    }
}
