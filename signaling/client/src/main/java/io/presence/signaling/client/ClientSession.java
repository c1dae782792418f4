package io.presence.signaling.client;

import io.presence.signaling.client.internal.Connection;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One session of the signaling protocol, which may move across connections (and transports) by {@link #resume}.
 * Made by {@link SignalingClient#connect()} or {@link SignalingClient#newSession()}.
 *
 * <p>Requests: {@link #request} sends any {@link ClientMessage} and completes with its response (which may be an
 * error frame); the typed methods ({@link #createRoom}, {@link #chat}, …) block for the response and turn error
 * frames into {@link SignalingException}.
 *
 * <p>Events arrive in sequence order, in {@link #nextEvent}'s queue or, once {@link #onEvent} is set, at that
 * listener. The session remembers the last sequence number it received and presents it on {@link #resume}; it
 * counts duplicates (dropped) and gaps, which stay zero against a correct server. Server pings are answered.
 *
 * <p>Thread-safe. Listeners run on the runtime's I/O threads, one frame at a time; they must not block, so the
 * blocking methods must not be called from them.
 */
public final class ClientSession implements AutoCloseable {
    public static final int PROTOCOL_VERSION = 1;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Shared: building a mapper and its serializers is expensive; it is thread-safe once built. */
    private static final ProtocolJson JSON = new ProtocolJson();
    private final ProtocolJson json = JSON;
    private final ClientRuntime runtime;
    private volatile ClientOptions options;
    private volatile Connection connection;
    private final Map<String, CompletableFuture<ServerMessage>> pending = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final BlockingQueue<ServerMessage.EventFrame> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<ServerMessage> unsolicited = new LinkedBlockingQueue<>();
    private volatile Consumer<ServerMessage.EventFrame> listener;
    private volatile Consumer<ServerMessage> unsolicitedListener;
    private volatile long lastSeq;
    private volatile String resumeToken;
    private volatile String sessionId;
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private volatile CompletableFuture<Void> disconnected = new CompletableFuture<>();

    ClientSession(ClientRuntime runtime, ClientOptions options) {
        this.runtime = runtime;
        this.options = options;
    }

    /**
     * Opens a new connection (closing the current one, if any). No hello is sent.
     *
     * @throws IllegalStateException when the connection or the WebSocket handshake fails
     */
    public synchronized ClientSession connect() {
        Connection old = connection;
        if (old != null) {
            old.close();
        }
        // Requests sent on the old connection will never be answered: fail them (callers retry, idempotently).
        failPending();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        disconnected = closed;
        connection = Connection.open(runtime.io(), options.endpoint(), this::onFrame, () -> onClosed(closed));
        return this;
    }

    /** Connects if needed and opens a new session with the development provider (the server must enable it). */
    public ServerMessage.Welcome hello(String displayName) {
        return hello(new ClientMessage.Credentials("dev", displayName, null, null));
    }

    public ServerMessage.Welcome hello(ClientMessage.Credentials credentials) {
        if (connection == null || !connection.isOpen()) {
            connect();
        }
        ServerMessage.Welcome welcome = (ServerMessage.Welcome) expect(request(
                new ClientMessage.Hello(nextRequestId(), PROTOCOL_VERSION, credentials, null)));
        lastSeq = 0;
        resumeToken = welcome.resumeToken();
        sessionId = welcome.sessionId();
        return welcome;
    }

    /** Opens a new connection with the same options and resumes the session from the last event received. */
    public ServerMessage.Welcome resume() {
        return resume(options);
    }

    /** Resumes on another transport or address (the network-switch case). */
    public ServerMessage.Welcome resume(ClientOptions newOptions) {
        if (resumeToken == null) {
            throw new IllegalStateException("no session to resume");
        }
        this.options = newOptions;
        connect();
        ServerMessage.Welcome welcome = (ServerMessage.Welcome) expect(request(new ClientMessage.Hello(
                nextRequestId(), PROTOCOL_VERSION, null, new ClientMessage.Resume(resumeToken, lastSeq))));
        // The server replaces the token at every resume; the one just presented no longer works.
        resumeToken = welcome.resumeToken();
        return welcome;
    }

    /** A request id unique within this session, for messages built by hand. */
    public String nextRequestId() {
        return "r" + requestIds.incrementAndGet();
    }

    /** Sends a request; the future completes with its response, which may be an error frame. */
    public CompletableFuture<ServerMessage> request(ClientMessage message) {
        CompletableFuture<ServerMessage> result = new CompletableFuture<>();
        Connection c = connection;
        if (c == null) {
            result.completeExceptionally(new IllegalStateException("not connected"));
            return result;
        }
        if (message.requestId() != null) {
            pending.put(message.requestId(), result);
        } else {
            result.complete(null);
        }
        c.sendText(new String(json.encode(message), StandardCharsets.UTF_8), cause -> {
            pending.remove(message.requestId());
            result.completeExceptionally(cause);
        });
        return result;
    }

    /** Sends without waiting for any answer. */
    public void send(ClientMessage message) {
        Connection c = connection;
        if (c != null) {
            c.sendText(new String(json.encode(message), StandardCharsets.UTF_8), null);
        }
    }

    public String createRoom() {
        return ((ServerMessage.RoomJoined) expect(request(new ClientMessage.CreateRoom(nextRequestId())))).roomId();
    }

    /** Creates a room with privacy mode on or off (null = the server's default). */
    public String createRoom(Boolean relayOnly) {
        return ((ServerMessage.RoomJoined) expect(request(new ClientMessage.CreateRoom(nextRequestId(), relayOnly))))
                .roomId();
    }

    public ServerMessage.CallJoined joinCall(String roomId) {
        return (ServerMessage.CallJoined) expect(request(new ClientMessage.JoinCall(nextRequestId(), roomId)));
    }

    public void leaveCall(String roomId) {
        expect(request(new ClientMessage.LeaveCall(nextRequestId(), roomId)));
    }

    public ServerMessage.CallCredentials refreshCredentials(String roomId) {
        return (ServerMessage.CallCredentials) expect(request(new ClientMessage.RefreshCredentials(nextRequestId(),
                roomId)));
    }

    /** Sends an offer or answer to one call peer. */
    public void sdp(String roomId, String to, String kind, String sdp) {
        expect(request(new ClientMessage.Signal(nextRequestId(), roomId, to, kind, sdp, null, null, null, null)));
    }

    /** Trickles one candidate to one call peer. */
    public void candidate(String roomId, String to, String candidate, String sdpMid, Integer sdpMLineIndex) {
        expect(request(new ClientMessage.Signal(nextRequestId(), roomId, to, "candidate", null, candidate, sdpMid,
                sdpMLineIndex, null)));
    }

    /**
     * Joins the room; for a persistent room the answer's {@code memberships()} lists every member, online or not,
     * with its presence (null for an ephemeral room).
     */
    public ServerMessage.RoomJoined join(String roomId) {
        return (ServerMessage.RoomJoined) expect(request(new ClientMessage.JoinRoom(nextRequestId(), roomId)));
    }

    public void leave(String roomId) {
        expect(request(new ClientMessage.LeaveRoom(nextRequestId(), roomId)));
    }

    /** Names the room (its owner only), which makes it persistent; throws when the server refuses. */
    public void nameRoom(String roomId, String name) {
        expect(request(new ClientMessage.NameRoom(nextRequestId(), roomId, name)));
    }

    /** Renames a persistent room (an owner or admin); every member gets {@code room.renamed}. */
    public void renameRoom(String roomId, String name) {
        expect(request(new ClientMessage.RenameRoom(nextRequestId(), roomId, name)));
    }

    /**
     * Closes the room (its owner only): every other member gets {@code room.closed}, a persistent room is deleted
     * with its chat, and a later join of it fails with {@code unknown_room}.
     */
    public void closeRoom(String roomId) {
        expect(request(new ClientMessage.CloseRoom(nextRequestId(), roomId)));
    }

    /** Sets the privacy mode of the room's next call (an owner or admin; refused while a call runs). */
    public void updateRoomSettings(String roomId, boolean relayOnly) {
        expect(request(new ClientMessage.UpdateRoomSettings(nextRequestId(), roomId, relayOnly)));
    }

    /**
     * Kicks every session of {@code userId} out of the room and its call (an owner or admin, see PROTOCOL.md's
     * Rights); every member gets {@code room.kicked}. {@code reason} may be null.
     */
    public void kick(String roomId, String userId, String reason) {
        expect(request(new ClientMessage.KickMember(nextRequestId(), roomId, userId, reason)));
    }

    /** Gives {@code userId} the role {@code owner}, {@code admin} or {@code member} (an owner only). */
    public void changeRole(String roomId, String userId, String role) {
        expect(request(new ClientMessage.ChangeRole(nextRequestId(), roomId, userId, role)));
    }

    /** Opens this user's direct room with {@code userId}, creating it on first use, and joins it. */
    public ServerMessage.RoomJoined openDirect(String userId) {
        return (ServerMessage.RoomJoined) expect(request(new ClientMessage.OpenDirect(nextRequestId(), userId)));
    }

    /** The persistent rooms this session's user is a member of. */
    /** {@code admin.revoke} (server admins only): ends every session of {@code userId}; the answer counts them. */
    public ServerMessage.UserRevoked revokeUser(String userId) {
        return (ServerMessage.UserRevoked) expect(request(new ClientMessage.RevokeUser(nextRequestId(), userId)));
    }

    public ServerMessage.RoomList listRooms() {
        return (ServerMessage.RoomList) expect(request(new ClientMessage.ListRooms(nextRequestId())));
    }

    public ServerMessage.ChatAck chat(String roomId, String clientMsgId, String text) {
        return (ServerMessage.ChatAck) expect(request(new ClientMessage.SendChat(nextRequestId(), roomId,
                clientMsgId, text, null)));
    }

    public ServerMessage.HistoryPage history(String roomId, Long before, Integer limit) {
        return (ServerMessage.HistoryPage) expect(request(new ClientMessage.GetHistory(nextRequestId(), roomId,
                before, limit)));
    }

    /** Newer messages: up to {@code limit} with id above {@code after}, oldest first. */
    public ServerMessage.HistoryPage historyAfter(String roomId, long after, Integer limit) {
        return (ServerMessage.HistoryPage) expect(request(new ClientMessage.GetHistory(nextRequestId(), roomId,
                null, limit, after)));
    }

    /** Replaces a message's text; {@code reason} is required for a room owner editing someone else's message. */
    public void editMessage(String roomId, long messageId, String text, String reason) {
        expect(request(new ClientMessage.EditChat(nextRequestId(), roomId, messageId, text, reason)));
    }

    /** Deletes a message; {@code reason} is required for a room owner deleting someone else's message. */
    public void deleteMessage(String roomId, long messageId, String reason) {
        expect(request(new ClientMessage.DeleteChat(nextRequestId(), roomId, messageId, reason)));
    }

    /** Moves this user's read marker in the room forward to {@code messageId}. */
    public void markRead(String roomId, long messageId) {
        expect(request(new ClientMessage.MarkRead(nextRequestId(), roomId, messageId)));
    }

    public void typing(String roomId, boolean active) {
        expect(request(new ClientMessage.Typing(nextRequestId(), roomId, active)));
    }

    public void bye() {
        expect(request(new ClientMessage.Bye(nextRequestId())));
    }

    /** Waits for a response; error frames become {@link SignalingException}. */
    public static ServerMessage expect(CompletableFuture<ServerMessage> response) {
        ServerMessage m = await(response, DEFAULT_TIMEOUT);
        if (m instanceof ServerMessage.Error e) {
            throw new SignalingException(e);
        }
        return m;
    }

    public static ServerMessage await(CompletableFuture<ServerMessage> response, Duration timeout) {
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("request failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no response within " + timeout.toMillis() + " ms");
        }
    }

    /** The next event, or null after {@code timeout}. */
    public ServerMessage.EventFrame nextEvent(Duration timeout) {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Skips events until one of {@code type} arrives; null after {@code timeout}. */
    public <T extends RoomEvent> T awaitEvent(Class<T> type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            ServerMessage.EventFrame f = nextEvent(Duration.ofNanos(left));
            if (f != null && type.isInstance(f.event())) {
                return type.cast(f.event());
            }
        }
    }

    /** The next message that answered no pending request (errors without request id, {@code closing}, …). */
    public ServerMessage nextUnsolicited(Duration timeout) {
        try {
            return unsolicited.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Events go to this listener instead of the {@link #nextEvent} queue, so nothing accumulates.
     * Called on the connection's I/O thread, one event at a time, in sequence order; must not block.
     */
    public void onEvent(Consumer<ServerMessage.EventFrame> listener) {
        this.listener = listener;
    }

    /** Like {@link #onEvent}, for messages that answer no pending request; they are then not queued. */
    public void onUnsolicited(Consumer<ServerMessage> listener) {
        this.unsolicitedListener = listener;
    }

    /**
     * Sends one text frame as it is (TCP: one line, so no newline in it). The way to send a message this library's
     * {@link ClientMessage} types do not model, such as one a newer server accepts; answers to it arrive as
     * unsolicited messages unless it carries the request id of a pending request.
     */
    public void sendRaw(String text) {
        Connection c = connection;
        if (c == null) {
            throw new IllegalStateException("not connected");
        }
        c.sendText(text, null);
    }

    /** Closes the current connection abruptly, keeping the session for {@link #resume} (a network switch). */
    public void dropConnection() {
        Connection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** Waits until the current connection is closed (by either side). */
    public boolean awaitDisconnect(Duration timeout) {
        try {
            disconnected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    public boolean isConnected() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    public long lastSeq() {
        return lastSeq;
    }

    public String sessionId() {
        return sessionId;
    }

    public String resumeToken() {
        return resumeToken;
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long gaps() {
        return gaps.get();
    }

    /** Frames from the server this client could not decode (zero against a server of the same version). */
    public long undecodableFrames() {
        return undecodable.get();
    }

    /** Closes the connection without a bye: the server keeps the session for its resume grace. */
    @Override
    public void close() {
        Connection c = connection;
        if (c != null) {
            c.close();
        }
    }

    private void onFrame(String text) {
        ServerMessage message;
        try {
            message = json.decodeServer(text);
        } catch (RuntimeException e) {
            undecodable.incrementAndGet();
            return;
        }
        if (message instanceof ServerMessage.Ping) {
            send(new ClientMessage.Pong(null));
            return;
        }
        if (message instanceof ServerMessage.EventFrame frame) {
            onEvent(frame);
            return;
        }
        String rid = message.requestId();
        CompletableFuture<ServerMessage> waiter = rid == null ? null : pending.remove(rid);
        if (waiter != null) {
            waiter.complete(message);
        } else {
            Consumer<ServerMessage> l = unsolicitedListener;
            if (l != null) {
                l.accept(message);
            } else {
                unsolicited.add(message);
            }
        }
    }

    private void onEvent(ServerMessage.EventFrame frame) {
        // Only the I/O thread of the current connection writes lastSeq, one frame at a time.
        long last = lastSeq;
        if (frame.seq() <= last) {
            duplicates.incrementAndGet();
            return;
        }
        if (frame.seq() != last + 1) {
            gaps.incrementAndGet();
        }
        lastSeq = frame.seq();
        Consumer<ServerMessage.EventFrame> l = listener;
        if (l != null) {
            l.accept(frame);
        } else {
            events.add(frame);
        }
    }

    private void onClosed(CompletableFuture<Void> closed) {
        closed.complete(null);
        Connection current = connection;
        if (current != null && !current.isOpen()) {
            failPending();
        }
    }

    private void failPending() {
        for (Map.Entry<String, CompletableFuture<ServerMessage>> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().completeExceptionally(new IllegalStateException("connection closed"));
            }
        }
    }

}
