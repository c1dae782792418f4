package io.presence.turn.allocation;

import io.presence.turn.TurnMetrics;
import io.presence.turn.TurnSettings;
import io.presence.turn.policy.PeerPolicy;
import io.presence.turn.policy.SharedTokenBucket;

import java.time.Clock;

/** What every allocation shares: settings, clock, metrics, the peer policy and the server-wide budget. */
public record RelayContext(TurnSettings settings, Clock clock, TurnMetrics metrics, PeerPolicy policy,
                           SharedTokenBucket totalBandwidth) {
    long permissionMillis() {
        return settings.permissionLifetime().toMillis();
    }

    long channelMillis() {
        return settings.channelLifetime().toMillis();
    }
}
