package io.presence.signaling.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.presence.signaling.session.SignalingMetrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection of the WebSocket listener that has not completed the WebSocket upgrade within
 * {@code timeout} of connecting (TLS handshake included). A fixed deadline, not an idle one: a client that trickles
 * its request a byte at a time is closed like a silent one. The upgrade removes it (then the hello deadline runs).
 * Counted as a handshake failure with reason {@code upgrade_timeout}.
 *
 * <p>One instance per connection, on its event loop.
 */
final class UpgradeDeadline extends ChannelInboundHandlerAdapter {
    static final String REASON = "upgrade_timeout";

    private final long timeoutNanos;
    private final SignalingMetrics metrics;
    private ScheduledFuture<?> deadline;

    UpgradeDeadline(Duration timeout, SignalingMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                metrics.handshakeFailed(REASON);
                ctx.close();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel(false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        deadline.cancel(false);
        super.channelInactive(ctx);
    }
}
