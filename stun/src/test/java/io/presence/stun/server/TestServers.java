package io.presence.stun.server;

import io.netty.channel.embedded.EmbeddedChannel;

import java.util.Optional;

/** Package-private pieces of the server, put together for tests in other packages. */
public final class TestServers {
    private TestServers() {
    }

    /** The UDP pipeline of a Binding-only server, on an {@link EmbeddedChannel}. */
    public static EmbeddedChannel udpHandler() {
        StunMetrics metrics = StunMetrics.noop();
        StunDispatcher d = new StunDispatcher(new BindingService(metrics, Optional.empty()), StunExtension.NONE, metrics);
        return new EmbeddedChannel(new DatagramStunHandler(d));
    }
}
