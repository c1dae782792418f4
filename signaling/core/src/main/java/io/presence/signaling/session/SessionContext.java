package io.presence.signaling.session;

import io.presence.signaling.identity.AccessPolicy;
import io.presence.signaling.invite.Invites;
import io.presence.signaling.protocol.ClientLimits;
import io.presence.signaling.room.RoomDirectory;
import io.presence.signaling.runtime.TimeSource;

/**
 * What every session shares: configuration (and the limits its welcome advertises), rooms, the access policy,
 * metrics, the time source, the
 * manager to report its end to, and the invites to persistent rooms.
 */
record SessionContext(SignalingSettings settings, ClientLimits limits, RoomDirectory rooms, AccessPolicy access,
                      SignalingMetrics metrics, TimeSource time, SessionManager manager, Invites invites) {

    void ended(Session session, String reason) {
        manager.sessionEnded(session, reason);
    }
}
