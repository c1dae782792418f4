package io.presence.signaling.session;

import io.presence.signaling.protocol.ServerMessage;

/**
 * The session's view of one client connection, whatever the transport: the message sink that keeps sessions and
 * rooms away from sockets. Implementations are thread-safe and never block.
 */
public interface Connection {

    /** Short id for logs. */
    String id();

    /** {@code ws} or {@code tcp}; a bounded metrics label. */
    String transport();

    /**
     * The peer's address as this server sees it (a reverse proxy's, behind one), for throttling failed sign-ins
     * per source; null when unknown, which throttles nothing.
     */
    default java.net.InetAddress remoteAddress() {
        return null;
    }

    /**
     * Queues a message. Never blocks: when the connection's outbound queue is full the connection is closed as a
     * slow consumer (its session may resume) and the message is dropped.
     *
     * @return false if the message was not queued
     */
    boolean send(ServerMessage message);

    /**
     * Queues the replay after a resume. Not subject to the outbound bound: the replay is already bounded by the
     * resume buffer, and refusing it would make a resume after a busy absence impossible. Later sends are bounded
     * as usual and count these until they are written.
     */
    void replay(java.util.List<? extends ServerMessage> messages);

    /** {@code hello} succeeded: route further requests to {@code session}; send {@code welcome} before anything else. */
    void opened(Session session, ServerMessage.Welcome welcome);

    /** {@code hello} failed: send the error; close the connection when {@code close}, else wait for another hello. */
    void helloRejected(ServerMessage.Error error, boolean close);

    /** Sends {@code closing} with the reason, then closes. Idempotent. */
    void close(String reason, String message);

    /** Closes at once, without a goodbye (the peer is not reading what it is sent). Idempotent. */
    void abort(String reason);
}
