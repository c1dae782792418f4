package io.presence.signaling.loadtest;

import io.presence.signaling.client.ClientOptions;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link LoadTest} does.
 *
 * @param transport          WS or TCP for every connection
 * @param target             the server's listener for that transport
 * @param wsPath             WebSocket path
 * @param connections        sessions to open (one connection each)
 * @param rooms              rooms to spread them over (connection i joins room i mod rooms)
 * @param messagesPerSecond  chat messages offered per second in total, spread evenly over the senders
 * @param senderFraction     share of connections that send (0..1]; all members receive
 * @param duration           how long messages are offered
 * @param dropAndResume      drop every connection at once halfway through, then resume all
 * @param connectParallelism connections opened concurrently
 * @param allowNonLoopback   permit a target that is not a loopback address
 * @param persistent         name every room ({@code room.name}) before sending, so its chat goes through the
 *                           server's database and each ack means the message is committed
 * @param window             messages a sender may have unacknowledged at once (0 = no bound): with a rate above
 *                           what the server sustains, the run measures its capacity instead of filling its queues
 * @param holdAfter          after the drain, keep every session in its room this long before closing (phase
 *                           HOLDING): the server's heap can be measured with its rooms loaded
 */
public record LoadTestOptions(ClientOptions.Transport transport, InetSocketAddress target, String wsPath,
                              int connections, int rooms, double messagesPerSecond, double senderFraction,
                              Duration duration, boolean dropAndResume, int connectParallelism,
                              boolean allowNonLoopback, boolean persistent, int window,
                              Duration holdAfter) {
    public static final int DEFAULT_CONNECT_PARALLELISM = 8;

    public LoadTestOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(wsPath, "wsPath");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(holdAfter, "holdAfter");
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be >= 1");
        }
        if (rooms < 1 || rooms > connections) {
            throw new IllegalArgumentException("rooms must be 1..connections");
        }
        if (messagesPerSecond < 0) {
            throw new IllegalArgumentException("messagesPerSecond must be >= 0");
        }
        if (!(senderFraction > 0 && senderFraction <= 1)) {
            throw new IllegalArgumentException("senderFraction must be in (0, 1]");
        }
        if (connectParallelism < 1) {
            throw new IllegalArgumentException("connectParallelism must be >= 1");
        }
        if (holdAfter.isNegative()) {
            throw new IllegalArgumentException("holdAfter must be >= 0");
        }
        if (window < 0) {
            throw new IllegalArgumentException("window must be >= 0");
        }
    }

    /** Ephemeral rooms, no bound on unacknowledged messages. */
    public LoadTestOptions(ClientOptions.Transport transport, InetSocketAddress target, String wsPath,
                           int connections, int rooms, double messagesPerSecond, double senderFraction,
                           Duration duration, boolean dropAndResume, int connectParallelism,
                           boolean allowNonLoopback) {
        this(transport, target, wsPath, connections, rooms, messagesPerSecond, senderFraction, duration,
                dropAndResume, connectParallelism, allowNonLoopback, false, 0, Duration.ZERO);
    }

    public static LoadTestOptions of(ClientOptions.Transport transport, InetSocketAddress target, int connections,
                                     int rooms, double messagesPerSecond, Duration duration) {
        return new LoadTestOptions(transport, target, "/ws", connections, rooms, messagesPerSecond, 1.0, duration,
                false, DEFAULT_CONNECT_PARALLELISM, false);
    }

    public LoadTestOptions withDropAndResume(boolean drop) {
        return new LoadTestOptions(transport, target, wsPath, connections, rooms, messagesPerSecond, senderFraction,
                duration, drop, connectParallelism, allowNonLoopback, persistent, window, holdAfter);
    }

    public LoadTestOptions withSenderFraction(double fraction) {
        return new LoadTestOptions(transport, target, wsPath, connections, rooms, messagesPerSecond, fraction,
                duration, dropAndResume, connectParallelism, allowNonLoopback, persistent, window, holdAfter);
    }

    public LoadTestOptions withAllowNonLoopback(boolean allow) {
        return new LoadTestOptions(transport, target, wsPath, connections, rooms, messagesPerSecond, senderFraction,
                duration, dropAndResume, connectParallelism, allow, persistent, window, holdAfter);
    }

    public LoadTestOptions withPersistentRooms(boolean persistentRooms) {
        return new LoadTestOptions(transport, target, wsPath, connections, rooms, messagesPerSecond, senderFraction,
                duration, dropAndResume, connectParallelism, allowNonLoopback, persistentRooms, window, holdAfter);
    }

    public LoadTestOptions withHoldAfter(Duration hold) {
        return new LoadTestOptions(transport, target, wsPath, connections, rooms, messagesPerSecond, senderFraction,
                duration, dropAndResume, connectParallelism, allowNonLoopback, persistent, window, hold);
    }

    public LoadTestOptions withWindow(int unacknowledged) {
        return new LoadTestOptions(transport, target, wsPath, connections, rooms, messagesPerSecond, senderFraction,
                duration, dropAndResume, connectParallelism, allowNonLoopback, persistent, unacknowledged, holdAfter);
    }
}
