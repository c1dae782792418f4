package io.presence.signaling.client.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and socket channel type behind a {@code ClientRuntime}. Epoll when the native transport is on
 * the class path and loads (the load tool runs thousands of sockets), NIO otherwise. The native transport is
 * found by name so that this library does not require it.
 */
public final class IoThreads {
    private static final String EPOLL = "io.netty.channel.epoll.";

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final int threads;

    private IoThreads(EventLoopGroup group, Class<? extends SocketChannel> channelType, int threads) {
        this.group = group;
        this.channelType = channelType;
        this.threads = threads;
    }

    /** Daemon threads named {@code presence-client-N}: a client never keeps its process alive by itself. */
    public static IoThreads start(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Class<? extends SocketChannel> epollChannel = epollChannelType();
        IoHandlerFactory factory = epollChannel != null ? epollFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("presence-client", true), factory);
        return new IoThreads(group, epollChannel != null ? epollChannel : NioSocketChannel.class, threads);
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends SocketChannel> channelType() {
        return channelType;
    }

    public int threads() {
        return threads;
    }

    public boolean isNative() {
        return channelType != NioSocketChannel.class;
    }

    public void shutdown(Duration timeout) {
        group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeout.toMillis());
    }

    private static Class<? extends SocketChannel> epollChannelType() {
        try {
            Object available = Class.forName(EPOLL + "Epoll").getMethod("isAvailable").invoke(null);
            if (!Boolean.TRUE.equals(available)) {
                return null;
            }
            return Class.forName(EPOLL + "EpollSocketChannel").asSubclass(SocketChannel.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static IoHandlerFactory epollFactory() {
        try {
            return (IoHandlerFactory) Class.forName(EPOLL + "EpollIoHandler").getMethod("newFactory").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("epoll loaded but its handler factory did not", e);
        }
    }
}
