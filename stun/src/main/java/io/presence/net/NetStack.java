package io.presence.net;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops and channel types every listener of the appliance shares: epoll on Linux when the
 * native transport loads, NIO otherwise. One instance per appliance; listeners never create their own
 * groups, so the thread count is fixed by configuration, not by the number of listeners.
 *
 * <p>Thread-safe. {@link #shutdown(Duration)} is idempotent.
 */
public final class NetStack implements AutoCloseable {

    private final boolean epoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;

    private NetStack(boolean epoll, EventLoopGroup acceptors, EventLoopGroup workers) {
        this.epoll = epoll;
        this.acceptors = acceptors;
        this.workers = workers;
    }

    /**
     * @param workerThreads event-loop threads for I/O (0 = Netty's default of 2 × cores)
     * @param preferNative  use epoll when available
     */
    public static NetStack create(int workerThreads, boolean preferNative) {
        boolean epoll = preferNative && Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("presence-accept", true), factory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(workerThreads,
                new DefaultThreadFactory("presence-io", true), factory);
        return new NetStack(epoll, acceptors, workers);
    }

    public boolean isEpoll() {
        return epoll;
    }

    /** Accepts TCP connections; tiny, one thread. */
    public EventLoopGroup acceptors() {
        return acceptors;
    }

    /** Runs every connection, datagram channel and room. */
    public EventLoopGroup workers() {
        return workers;
    }

    /** The client-side stream channel class matching {@link #workers()}. */
    public Class<? extends io.netty.channel.socket.SocketChannel> socketChannel() {
        return epoll ? io.netty.channel.epoll.EpollSocketChannel.class
                : io.netty.channel.socket.nio.NioSocketChannel.class;
    }

    public Class<? extends ServerSocketChannel> serverSocketChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Datagram channels of the family of {@code local}, the address they will be bound to: an IPv4 address gets
     * an AF_INET socket, because the default (a dual-stack AF_INET6 socket carrying IPv4 as mapped addresses)
     * costs more kernel time per datagram; anything else gets AF_INET6.
     */
    public ChannelFactory<DatagramChannel> datagramChannel(InetAddress local) {
        SocketProtocolFamily family = local instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        return epoll ? () -> new EpollDatagramChannel(family) : () -> new NioDatagramChannel(family);
    }

    /** Stops both groups, waiting at most {@code timeout} for their threads to end. */
    public void shutdown(Duration timeout) {
        Future<?> a = acceptors.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        Future<?> w = workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        a.awaitUninterruptibly(timeout.toMillis());
        w.awaitUninterruptibly(timeout.toMillis());
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
