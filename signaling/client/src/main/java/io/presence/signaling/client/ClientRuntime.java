package io.presence.signaling.client;

import io.presence.signaling.client.internal.IoThreads;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The I/O threads sessions run on. Share one among many clients and sessions (the load tool runs thousands of
 * sessions on a few threads); a {@link SignalingClient} built without one creates its own and closes it with
 * itself.
 *
 * <p>Threads are daemons. Listeners registered on a session run on these threads and must not block them.
 * Thread-safe; {@link #close} is idempotent and closes every connection still open on it.
 */
public final class ClientRuntime implements AutoCloseable {
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final IoThreads io;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClientRuntime(IoThreads io) {
        this.io = io;
    }

    /** @param threads I/O threads, at least 1; each serves many connections */
    public static ClientRuntime create(int threads) {
        return new ClientRuntime(IoThreads.start(threads));
    }

    /** One I/O thread per available processor. */
    public static ClientRuntime create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return io.threads();
    }

    /** True when the platform's native transport (epoll) runs the sockets, false for Java NIO. */
    public boolean isNative() {
        return io.isNative();
    }

    IoThreads io() {
        if (closed.get()) {
            throw new IllegalStateException("client runtime is closed");
        }
        return io;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            io.shutdown(SHUTDOWN_TIMEOUT);
        }
    }
}
