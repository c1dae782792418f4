package io.presence.stun.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.codec.StunFrameDecoder;

import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one TCP/TLS connection on the STUN port, so that a connection that is not used for STUN gives
 * its descriptor back soon:
 * <ul>
 *   <li>the first well-formed STUN message must arrive within {@code firstMessage} of the connection (the TLS
 *       handshake included) — a connection that sends nothing, or half a frame, is closed then;</li>
 *   <li>a frame, once its first byte has arrived, must be complete within {@code firstMessage} as well (bytes
 *       trickling in do not keep a connection alive);</li>
 *   <li>after that the connection is closed once no well-formed message has arrived for {@code unauthenticated}, or
 *       for {@code authenticated} once the server has answered a TURN request on it with success: TURN answers
 *       success only after the long-term credential check (RFC 8656 §5; Binding needs none, so a plain STUN client
 *       keeps the short timeout).</li>
 * </ul>
 * Malformed frames count as silence. Sits between TLS and the framer: it sees whole frames through
 * {@link #frame()}, which the connection's handler calls, and the framer's leftover bytes after each read; and
 * responses on their way out.
 *
 * <p>One timer per connection, moved only when a deadline comes nearer; when it fires it either closes the
 * connection or sleeps until the deadline now in force. One instance per connection, on its event loop.
 */
final class StreamDeadlines extends ChannelDuplexHandler {
    /** Which deadline closed a connection: the {@code reason} label of {@code stun_stream_timeouts_total}. */
    enum Expiry {
        FIRST_MESSAGE("first_message"), PARTIAL_FRAME("partial_frame"), IDLE("idle");

        final String label;

        Expiry(String label) {
            this.label = label;
        }
    }

    private final long firstMessageNanos;
    private final long unauthenticatedNanos;
    private final long authenticatedNanos;
    private final StunFrameDecoder framer;
    private final StunMetrics metrics;
    private ChannelHandlerContext ctx;
    private long openedAt;
    private long lastMessageAt;
    private long partialSince;
    private boolean established;
    private boolean authenticated;
    private ScheduledFuture<?> timer;
    private long timerAt;

    StreamDeadlines(StunSettings settings, StunFrameDecoder framer, StunMetrics metrics) {
        this.firstMessageNanos = settings.firstMessageTimeout().toNanos();
        this.unauthenticatedNanos = settings.unauthenticatedIdleTimeout().toNanos();
        this.authenticatedNanos = settings.idleTimeout().toNanos();
        this.framer = framer;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        openedAt = System.nanoTime();
        arm(openedAt + firstMessageNanos);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ctx.fireChannelRead(msg); // the framer cuts and delivers whole frames before this returns
        if (framer.hasPartialFrame()) {
            if (partialSince == 0) {
                partialSince = nonZero(System.nanoTime());
                arm(partialSince + firstMessageNanos);
            }
        } else {
            partialSince = 0;
        }
    }

    /** A well-formed message arrived (called by the connection's handler). */
    void frame() {
        established = true;
        lastMessageAt = System.nanoTime();
        // The idle deadline may lie before the first-message one the timer is set for; usually it is later: no-op.
        arm(lastMessageAt + (authenticated ? authenticatedNanos : unauthenticatedNanos));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!authenticated && msg instanceof ByteBuf b && isTurnSuccess(b)) {
            authenticated = true;
        }
        ctx.write(msg, promise);
    }

    /** Whether the time the deadlines allow is the long one (for tests). */
    boolean authenticated() {
        return authenticated;
    }

    /** A success response to anything but Binding: only ever sent for a request whose credentials were checked. */
    static boolean isTurnSuccess(ByteBuf b) {
        int i = b.readerIndex();
        if (b.readableBytes() < StunMessage.HEADER_LENGTH || !StunMessage.isStun(b.getUnsignedByte(i))
                || b.getInt(i + 4) != StunMessage.MAGIC_COOKIE) {
            return false;
        }
        int type = b.getUnsignedShort(i);
        return MessageClass.ofType(type) == MessageClass.SUCCESS_RESPONSE && Method.ofType(type) != Method.BINDING;
    }

    private void check() {
        timer = null;
        long now = System.nanoTime();
        Expiry why = Expiry.FIRST_MESSAGE;
        long deadline = openedAt + firstMessageNanos;
        if (established) {
            why = Expiry.IDLE;
            deadline = lastMessageAt + (authenticated ? authenticatedNanos : unauthenticatedNanos);
        }
        if (partialSince != 0 && partialSince + firstMessageNanos - deadline < 0) {
            why = established ? Expiry.PARTIAL_FRAME : Expiry.FIRST_MESSAGE;
            deadline = partialSince + firstMessageNanos;
        }
        if (deadline - now <= 0) {
            metrics.streamTimeout(why);
            ctx.close();
        } else {
            arm(deadline);
        }
    }

    /** Makes sure the timer fires no later than {@code deadline}. */
    private void arm(long deadline) {
        if (timer != null && timerAt - deadline <= 0) {
            return;
        }
        cancel();
        timerAt = deadline;
        timer = ctx.executor().schedule(this::check, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static long nonZero(long t) {
        return t == 0 ? 1 : t;
    }
}
