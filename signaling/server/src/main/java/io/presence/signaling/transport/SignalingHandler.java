package io.presence.signaling.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.DecodeResult;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.Limit;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.session.Session;
import io.presence.signaling.session.SessionManager;
import io.presence.signaling.session.SignalingMetrics;
import io.presence.signaling.session.SignalingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The transport-neutral end of every connection's pipeline: takes decoded frames ({@link DecodeResult}) and runs
 * the connection's life — hello deadline, handshake, then forwarding requests to the session — and turns
 * transport trouble (oversized frames, keepalive timeout) into typed errors or closes with a reason.
 *
 * <p>One instance per connection; all methods run on the channel's loop. Inbound messages are plain objects (no
 * reference-counted buffers reach this handler).
 */
final class SignalingHandler extends SimpleChannelInboundHandler<DecodeResult> implements ChannelConnection.HelloOutcome {
    private static final Logger log = LoggerFactory.getLogger(SignalingHandler.class);

    static final int MAX_HELD_DURING_HELLO = SignalingSettings.MAX_HELD_DURING_HELLO;

    private enum State { AWAITING_HELLO, HELLO_PENDING, OPEN }

    private final SessionManager sessions;
    private final NettyLoops loops;
    private final SignalingSettings settings;
    private final SignalingMetrics metrics;
    private final String transport;
    private final Supplier<Object> closeFrame;
    private final ConnectionTracker tracker;

    private ChannelConnection connection;
    private State state = State.AWAITING_HELLO;
    private Session session;
    private ScheduledFuture<?> helloDeadline;
    /**
     * Everything received while hello is pending, in order: requests (at most {@link #MAX_HELD_DURING_HELLO}) and
     * the refusals of frames that were not requests; answered in this order after the welcome or the refusal.
     */
    private final List<Object> heldDuringHello = new ArrayList<>(0);
    private int requestsHeld;

    SignalingHandler(SessionManager sessions, NettyLoops loops, SignalingSettings settings, SignalingMetrics metrics, String transport,
                     Supplier<Object> closeFrame, ConnectionTracker tracker) {
        this.sessions = sessions;
        this.loops = loops;
        this.settings = settings;
        this.metrics = metrics;
        this.transport = transport;
        this.closeFrame = closeFrame;
        this.tracker = tracker;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // WebSocket pipelines add this handler after the upgrade, on an already active channel.
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (connection != null) {
            return;
        }
        connection = new ChannelConnection(ctx.channel(), transport, settings.outboundQueueMessages(), metrics, this,
                closeFrame);
        metrics.connectionOpened(transport);
        tracker.opened(connection);
        helloDeadline = ctx.executor().schedule(() -> {
            if (state != State.OPEN) {
                metrics.handshakeFailed("hello_timeout");
                metrics.error(ErrorCode.HELLO_TIMEOUT.wire());
                connection.sendControl(ServerMessage.Error.of(null, ErrorCode.HELLO_TIMEOUT,
                        "no hello within " + settings.helloTimeout().toMillis() + " ms"));
                connection.close("hello_timeout", "no hello within the deadline");
            }
        }, settings.helloTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        if (connection != null) {
            String reason = connection.closeReason();
            metrics.connectionClosed(transport, reason == null ? "client_closed" : reason);
            tracker.closed(connection);
            if (session != null) {
                session.connectionClosed(connection);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DecodeResult result) {
        if (result instanceof DecodeResult.Rejected rejected) {
            metrics.messageIn("invalid");
            refuse(rejected.toError());
            return;
        }
        ClientMessage message = ((DecodeResult.Decoded) result).message();
        metrics.messageIn(message.type());
        if (message instanceof ClientMessage.Pong) {
            return; // liveness is noted by the keepalive handler on any read
        }
        // Every response goes out in request order: once open, through the session's response order (pong and
        // refusals too); while hello is pending, held behind it; before hello, at once (nothing can be pending).
        switch (state) {
            case OPEN -> session.request(connection, message);
            case AWAITING_HELLO -> {
                if (message instanceof ClientMessage.Hello hello) {
                    state = State.HELLO_PENDING;
                    sessions.hello(connection, loops.of(ctx.channel().eventLoop()), hello);
                } else if (message instanceof ClientMessage.Ping) {
                    connection.send(new ServerMessage.Pong(message.requestId()));
                } else {
                    reject(ServerMessage.Error.of(message.requestId(), ErrorCode.HELLO_REQUIRED,
                            "send hello first"));
                }
            }
            case HELLO_PENDING -> {
                // Pipelined behind hello (natural on TCP): hold a few until the handshake settles.
                if (message instanceof ClientMessage.Hello || requestsHeld >= MAX_HELD_DURING_HELLO) {
                    hold(ServerMessage.Error.of(message.requestId(), ErrorCode.HELLO_REQUIRED,
                            "wait for the welcome before sending more requests"));
                } else {
                    requestsHeld++;
                    hold(message);
                }
            }
        }
    }

    /** A frame refused before it became a request; the refusal is its response, in order. */
    private void refuse(ServerMessage.Error error) {
        switch (state) {
            case OPEN -> session.refuse(connection, error);
            case HELLO_PENDING -> hold(error);
            case AWAITING_HELLO -> reject(error);
        }
    }

    /** Bounded like the outbound queue that the held frames' responses will occupy. */
    private void hold(Object requestOrRefusal) {
        if (heldDuringHello.size() >= settings.outboundQueueMessages()) {
            metrics.slowConsumerClosed(transport);
            connection.abort("slow_consumer");
            return;
        }
        heldDuringHello.add(requestOrRefusal);
    }

    @Override
    public void opened(Session opened, ServerMessage.Welcome welcome) {
        if (connection.isClosing()) {
            opened.connectionClosed(connection);
            return;
        }
        state = State.OPEN;
        session = opened;
        helloDeadline.cancel(false);
        connection.send(welcome);
        if (!connection.channel().isActive()) {
            // Closed while the hello was in flight: channelInactive ran before the session was known.
            opened.connectionClosed(connection);
            return;
        }
        for (Object held : heldDuringHello) {
            if (held instanceof ClientMessage request) {
                opened.request(connection, request);
            } else {
                opened.refuse(connection, (ServerMessage.Error) held);
            }
        }
        heldDuringHello.clear();
        requestsHeld = 0;
    }

    @Override
    public void rejected(ServerMessage.Error error, boolean close) {
        state = State.AWAITING_HELLO;
        connection.send(error);
        for (Object held : heldDuringHello) {
            if (held instanceof ClientMessage.Ping ping) {
                connection.send(new ServerMessage.Pong(ping.requestId()));
            } else if (held instanceof ClientMessage request) {
                reject(ServerMessage.Error.of(request.requestId(), ErrorCode.HELLO_REQUIRED, "hello failed"));
            } else {
                reject((ServerMessage.Error) held);
            }
        }
        heldDuringHello.clear();
        requestsHeld = 0;
        if (close) {
            connection.close(error.code(), error.message());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            log.debug("{} silent for {} ms: closing", connection, settings.deadAfter().toMillis());
            connection.abort("keepalive_timeout");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            metrics.messageIn("invalid");
            refuse(ServerMessage.Error.limit(null, Limit.FRAME_BYTES,
                    "frame larger than " + settings.maxFrameBytes() + " bytes"));
            return;
        }
        if (root instanceof IOException) {
            log.debug("{}: {}", connection, root.toString());
            ctx.close();
            return;
        }
        log.warn("{}: unexpected failure, closing", connection, cause);
        if (connection != null) {
            connection.close("internal", "internal error");
        } else {
            ctx.close();
        }
    }

    /**
     * At once, before a session exists. Through the bounded queue even before hello: a client flooding bad frames
     * without reading gets closed.
     */
    private void reject(ServerMessage.Error error) {
        metrics.error(error.code());
        connection.send(error);
    }
}
