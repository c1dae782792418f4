package io.presence.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Sockets a handler opens and closes on its own event loop while it handles a datagram: the connected sockets of the
 * STUN port (client sockets) and of relay addresses (peer sockets).
 */
public final class LoopSockets {
    private LoopSockets() {
    }

    /**
     * Whether a step (register, bind, connect) done on the channel's own loop succeeded: there it completes at once,
     * so anything else is a failure. Says why at debug level, naming {@code what}.
     */
    public static boolean succeeded(ChannelFuture step, Logger log, String what) {
        if (!step.awaitUninterruptibly(0, TimeUnit.MILLISECONDS) || !step.isSuccess()) {
            log.debug("{} not opened: {}", what, step.isDone() ? String.valueOf(step.cause()) : "step did not complete at once");
            return false;
        }
        return true;
    }

    /**
     * Closes {@code ch} in a task of its own, never within its own read: a socket closed inside Netty's datagram read
     * loop is read again after the close, by descriptor number, which another loop may meanwhile have reused for a
     * new socket (seen: another client's datagram read there and answered to the old one; ClientSocketsTest).
     * Returns the channel's close future.
     */
    public static Future<Void> closeOutsideRead(Channel ch) {
        ch.eventLoop().execute(ch::close);
        return ch.closeFuture();
    }
}
