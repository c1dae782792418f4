package io.presence.turn.handler;

import io.netty.buffer.ByteBuf;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.server.StunExtension;
import io.presence.stun.server.StunPeer;
import io.presence.turn.allocation.Allocation;
import io.presence.turn.allocation.AllocationManager;
import io.presence.turn.allocation.ClientFrames;
import io.presence.turn.allocation.FiveTuple;
import io.presence.turn.auth.ChallengeLimiter;
import io.presence.turn.auth.Nonces;
import io.presence.turn.auth.RestCredentials;
import io.presence.turn.auth.Revocations;
import io.presence.turn.config.TurnSettings;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.policy.PeerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where TURN plugs into the STUN port ({@link StunExtension}): the STUN server has already told ChannelData
 * from STUN and answered Binding; here requests go to one handler per method, and Send indications and
 * ChannelData — the hot paths — go straight to the client's allocation.
 *
 * <p>Runs on the event loop of the socket the message came from, which for any 5-tuple is the loop of its
 * allocation. Buffer ownership: {@link #onSendIndication} and {@link #onChannelData} always take the frame
 * (return true) and release or forward it.
 */
public final class TurnDispatcher implements StunExtension {
    private static final Logger log = LoggerFactory.getLogger(TurnDispatcher.class);

    private final AllocationManager manager;
    private final TurnMetrics metrics;
    private final AllocateHandler allocate;
    private final RefreshHandler refresh;
    private final CreatePermissionHandler createPermission;
    private final ChannelBindHandler channelBind;
    private final ClientFrames frames;

    public TurnDispatcher(TurnSettings settings, AllocationManager manager, RestCredentials credentials, Nonces nonces,
                          Revocations revocations, ChallengeLimiter limiter, PeerPolicy policy,
                          RelayAddresses relay, TurnMetrics metrics) {
        this.manager = manager;
        this.metrics = metrics;
        Authenticator auth = new Authenticator(credentials, nonces, revocations, limiter, metrics);
        AllocationRequests requests = new AllocationRequests(auth, manager, metrics);
        PeerAccess access = new PeerAccess(manager, policy, metrics);
        this.allocate = new AllocateHandler(auth, manager, settings, relay, metrics);
        this.refresh = new RefreshHandler(requests, settings, metrics);
        this.createPermission = new CreatePermissionHandler(requests, access, metrics);
        this.frames = manager.clientFrames();
        this.channelBind = new ChannelBindHandler(requests, access, metrics, frames);
    }

    @Override
    public boolean onMessage(StunPeer peer, StunMessage message) {
        if (message.messageClass() != MessageClass.REQUEST) {
            return false;
        }
        try {
            switch (message.method()) {
                case Method.ALLOCATE -> allocate.handle(peer, message);
                case Method.REFRESH -> refresh.handle(peer, message);
                case Method.CREATE_PERMISSION -> createPermission.handle(peer, message);
                case Method.CHANNEL_BIND -> channelBind.handle(peer, message);
                default -> {
                    return false; // the STUN server answers 400
                }
            }
        } catch (RuntimeException e) {
            log.warn("{} from {} failed", Method.name(message.method()), peer.remoteAddress(), e);
            Responses.error(peer, message, ErrorCode.SERVER_ERROR, null);
        }
        return true;
    }

    @Override
    public boolean onSendIndication(StunPeer peer, ByteBuf frame) {
        long now = manager.context().clock().millis();
        frames.sendIndication(allocation(peer, now), frame, now);
        return true;
    }

    @Override
    public boolean onChannelData(StunPeer peer, ByteBuf frame) {
        long now = manager.context().clock().millis();
        frames.channelData(allocation(peer, now), frame, now);
        return true;
    }

    /**
     * The live allocation of {@code peer}'s 5-tuple, or null. A client with a socket of its own is not looked up
     * here: its data frames go to its allocation directly ({@link Allocation#onChannelData}).
     */
    private Allocation allocation(StunPeer peer, long now) {
        return manager.find(new FiveTuple(peer.transport(), peer.remoteAddress(), peer.localAddress()), now);
    }

    @Override
    public void onConnectionClosed(StunPeer peer) {
        // RFC 8656 §7: over TCP/TLS the allocation lives as long as the connection.
        Allocation a = manager.findAny(new FiveTuple(peer.transport(), peer.remoteAddress(), peer.localAddress()));
        if (a != null) {
            a.close();
        }
    }
}
