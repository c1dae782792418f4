package io.presence.turn.allocation;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;

/**
 * Where the {@link AllocationManager} gets relay sockets: bound anew, or parked by an ended allocation and handed to
 * the next one (binding and closing a socket is most of what an allocation costs). The transport package implements
 * it; the manager decides when to take, park and close.
 *
 * <p>Thread-safe; a socket itself is used on its event loop only.
 */
public interface RelaySocketPool {
    /** Binds a new relay socket at {@code address} on {@code loop}, attached to {@code allocation}. */
    Future<RelaySocket> bind(EventLoop loop, InetSocketAddress address, Allocation allocation);

    /**
     * A parked socket of {@code loop} for the family, parked long enough for the last allocation's datagrams to have
     * drained (or any parked one when {@code any}), or null. Not attached: the caller attaches it.
     */
    RelaySocket takeParked(EventLoop loop, boolean ipv6, boolean any);

    /** A parked socket of the family on any event loop, or null: the caller closes it to bind its port again. */
    RelaySocket takeParkedAnywhere(boolean ipv6);

    /** Detaches {@code socket} and parks it; false when the pool is full or closed (the caller closes it). */
    boolean park(RelaySocket socket);

    /** Closes every parked socket and refuses further parking. */
    void closeAll();
}
