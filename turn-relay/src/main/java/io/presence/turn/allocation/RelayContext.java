package io.presence.turn.allocation;

import io.presence.net.TokenBucket;
import io.presence.turn.config.TurnSettings;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.policy.PeerPolicy;

import java.time.Clock;

/**
 * What every allocation shares: settings, clock, metrics, the peer policy, the server-wide bandwidth budget and the
 * host's own addresses.
 */
public record RelayContext(TurnSettings settings, Clock clock, TurnMetrics metrics, PeerPolicy policy,
                           TokenBucket.Shared totalBandwidth, OwnHost ownHost) {
    long permissionMillis() {
        return settings.permissionLifetime().toMillis();
    }

    long channelMillis() {
        return settings.channelLifetime().toMillis();
    }
}
