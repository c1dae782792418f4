package io.presence.signaling.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.presence.signaling.protocol.ServerMessage;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keepalive: pings every {@code interval} (a JSON {@code ping} the client answers with {@code pong}), and fires a
 * reader-idle event (handled by {@link SignalingHandler}, which closes the connection) after {@code deadAfter}
 * without any inbound byte. Any traffic counts as a sign of life, so a busy client need not answer every ping;
 * a half-open socket — the peer gone without a FIN — is found by the silence.
 *
 * <p>Sits below the codecs so that every read counts and the pings pass through the encoder.
 */
final class KeepaliveHandler extends IdleStateHandler {
    private final long intervalNanos;
    private ScheduledFuture<?> pinger;

    KeepaliveHandler(Duration interval, Duration deadAfter) {
        super(deadAfter.toNanos(), 0, 0, TimeUnit.NANOSECONDS);
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            startPinging(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startPinging(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopPinging();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        stopPinging();
        super.handlerRemoved(ctx);
    }

    private void startPinging(ChannelHandlerContext ctx) {
        if (pinger == null) {
            pinger = ctx.executor().scheduleAtFixedRate(
                    () -> ctx.channel().writeAndFlush(ServerMessage.Ping.INSTANCE),
                    intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stopPinging() {
        if (pinger != null) {
            pinger.cancel(false);
        }
    }
}
