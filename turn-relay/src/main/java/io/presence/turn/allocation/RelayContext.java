package io.presence.turn.allocation;

import io.presence.turn.TurnMetrics;
import io.presence.turn.TurnSettings;
import io.presence.turn.policy.PeerPolicy;
import io.presence.turn.policy.SharedTokenBucket;
import io.presence.turn.transport.PeerSockets;

import java.time.Clock;

/**
 * What every allocation shares: settings, clock, metrics, the peer policy, the server-wide budget, the peer
 * sockets and the host's own addresses.
 */
public record RelayContext(TurnSettings settings, Clock clock, TurnMetrics metrics, PeerPolicy policy,
                           SharedTokenBucket totalBandwidth, PeerSockets peerSockets, OwnHost ownHost) {
    long permissionMillis() {
        return settings.permissionLifetime().toMillis();
    }

    long channelMillis() {
        return settings.channelLifetime().toMillis();
    }
}
