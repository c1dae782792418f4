package io.presence.stun.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of a client socket ({@link ConnectedPeer}): every datagram is its client's, dispatched with the one
 * peer object — no sender address to read, no peer per datagram — and its data frames to the peer's owner when it
 * has one ({@link PeerOwner}). Errors (an ICMP port unreachable reported on a
 * connected socket, a failed send) do not close the socket: the allocation owns it.
 */
final class ConnectedStunHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectedStunHandler.class);

    private final StunDispatcher dispatcher;
    private final ConnectedPeer peer;

    ConnectedStunHandler(StunDispatcher dispatcher, ConnectedPeer peer) {
        this.dispatcher = dispatcher;
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet) {
            dispatcher.dispatch(peer, peer.owner(), packet.content());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client socket {} error (kept open): {}", peer, cause.toString());
    }
}
