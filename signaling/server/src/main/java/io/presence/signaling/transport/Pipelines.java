package io.presence.signaling.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.presence.net.ReloadingSslContext;
import io.presence.signaling.http.HttpEndpoints;
import io.presence.signaling.protocol.ClientMessageDecoder;
import io.presence.signaling.protocol.ProtocolJson;
import io.presence.signaling.session.SessionManager;
import io.presence.signaling.session.TrustedProxies;
import io.presence.signaling.session.SignalingMetrics;
import io.presence.signaling.session.SignalingSettings;

/**
 * The two listeners' pipelines, each readable top to bottom as the path a frame takes. Both end in the same
 * {@link SignalingHandler}; only framing differs.
 */
final class Pipelines {
    static final String TRANSPORT_WS = "ws";
    static final String TRANSPORT_TCP = "tcp";
    /** HTTP requests before the upgrade are tiny; anything bigger is not a WebSocket handshake. */
    static final int MAX_HTTP_REQUEST_BYTES = 16 * 1024;
    /** The WebSocket layer closes (1009) only beyond this multiple of the configured frame cap. */
    static final int WS_HARD_CAP_FACTOR = 4;
    /** Flush at least every this many writes when consolidating. */
    static final int FLUSH_CONSOLIDATION = 64;

    private final SignalingSettings settings;
    private final SessionManager sessions;
    private final NettyLoops loops;
    private final SignalingMetrics metrics;
    private final ConnectionTracker tracker;
    private final ReloadingSslContext tls;
    private final ClientMessageDecoder decoder = new ClientMessageDecoder();
    private final ProtocolJson json = new ProtocolJson();
    private final StaticPages pages = new StaticPages();
    /** Whose forwarding headers name the client's address in the WebSocket upgrade request. */
    private final TrustedProxies proxies;
    /** Plain HTTP endpoints (avatars, the host-platform API), served before the static pages. */
    private EndpointDispatcher endpoints;

    Pipelines(SignalingSettings settings, SessionManager sessions, NettyLoops loops, SignalingMetrics metrics,
              ConnectionTracker tracker, ReloadingSslContext tls, TrustedProxies proxies) {
        this.proxies = proxies;
        this.settings = settings;
        this.sessions = sessions;
        this.loops = loops;
        this.metrics = metrics;
        this.tracker = tracker;
        this.tls = tls;
    }

    /** Serves {@code served} on the WebSocket listeners; call before the first connection. */
    Pipelines endpoints(HttpEndpoints served) {
        this.endpoints = served.isEmpty() ? null : new EndpointDispatcher(served);
        return this;
    }

    /** @param secure wrap in TLS (requires a configured certificate) */
    ChannelInitializer<Channel> tcp(boolean secure) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ChannelPipeline p = ch.pipeline();
                if (secure) {
                    p.addLast("tls", tls.current().newHandler(ch.alloc()));
                }
                p.addLast("keepalive", new KeepaliveHandler(settings.pingInterval(), settings.deadAfter()));
                p.addLast("flush", new FlushConsolidationHandler(FLUSH_CONSOLIDATION, true));
                p.addLast("framer", new TcpFrameDecoder(settings.maxFrameBytes(), decoder));
                p.addLast("encoder", new TcpFrameEncoder(json));
                p.addLast("signaling", new SignalingHandler(sessions, loops, settings, metrics, TRANSPORT_TCP, null,
                        tracker));
            }
        };
    }

    /** @param secure wrap in TLS (requires a configured certificate) */
    ChannelInitializer<Channel> webSocket(boolean secure) {
        int hardCap = settings.maxFrameBytes() * WS_HARD_CAP_FACTOR;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ChannelPipeline p = ch.pipeline();
                if (secure) {
                    p.addLast("tls", tls.current().newHandler(ch.alloc()));
                }
                // The upgrade must be complete within the hello deadline of connecting, however the bytes trickle in.
                p.addLast("httpTimeout", new UpgradeDeadline(settings.helloTimeout(), metrics));
                p.addLast("http", new HttpServerCodec());
                p.addLast("httpAggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
                if (endpoints != null) {
                    p.addLast("endpoints", endpoints);
                }
                p.addLast("pages", pages);
                p.addLast("guard", new WsHandshakeGuard(settings.wsPath(), settings.allowedOrigins(), metrics));
                p.addLast("deflate", new WebSocketServerCompressionHandler(hardCap));
                p.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(settings.wsPath())
                        // The guard has already matched the path exactly; this lets "/ws?query" through.
                        .checkStartsWith(true)
                        .allowExtensions(true)
                        .maxFramePayloadLength(hardCap)
                        .handshakeTimeoutMillis(settings.helloTimeout().toMillis())
                        .build()));
                p.addLast("upgrade", new UpgradeListener());
            }
        };
    }

    /** After the upgrade: the same per-connection handlers as TCP, with WebSocket framing. */
    private final class UpgradeListener extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                ClientAddress.remember(ctx.channel(), proxies, handshake.requestHeaders());
                ChannelPipeline p = ctx.pipeline();
                p.remove("httpTimeout");
                p.remove("pages");
                if (p.get("endpoints") != null) {
                    p.remove("endpoints");
                }
                p.addBefore("websocket", "keepalive", new KeepaliveHandler(settings.pingInterval(),
                        settings.deadAfter()));
                p.addAfter("upgrade", "wsAggregator",
                        new WebSocketFrameAggregator(settings.maxFrameBytes() * WS_HARD_CAP_FACTOR));
                p.addAfter("wsAggregator", "flush", new FlushConsolidationHandler(FLUSH_CONSOLIDATION, true));
                p.addAfter("flush", "decoder", new WsFrameDecoder(decoder, settings.maxFrameBytes()));
                // Without a negotiated extension the encoder can write finished frames (see WsFrameEncoder).
                boolean extension = p.get(WebSocketExtensionEncoder.class) != null;
                p.addAfter("decoder", "encoder", new WsFrameEncoder(json, !extension));
                p.addAfter("encoder", "signaling", new SignalingHandler(sessions, loops, settings, metrics,
                        TRANSPORT_WS, () -> new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE), tracker));
                p.remove(this);
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
