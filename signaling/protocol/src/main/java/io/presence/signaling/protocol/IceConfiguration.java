package io.presence.signaling.protocol;

import java.util.List;

/**
 * What a call participant receives on joining, after a resume and before its credentials expire: the
 * {@code RTCConfiguration} members it needs and the credentials' lifetime, so it can ask again in time.
 *
 * @param iceServers         for {@code RTCConfiguration.iceServers}
 * @param iceTransportPolicy {@value #RELAY} in relay-only rooms, else {@value #ALL}
 * @param ttlSeconds         seconds until the credentials stop working
 */
public record IceConfiguration(List<IceServer> iceServers, String iceTransportPolicy, long ttlSeconds) {

    public static final String RELAY = "relay";
    public static final String ALL = "all";

    public IceConfiguration {
        iceServers = List.copyOf(iceServers);
        if (!RELAY.equals(iceTransportPolicy) && !ALL.equals(iceTransportPolicy)) {
            throw new IllegalArgumentException("iceTransportPolicy must be relay or all, was " + iceTransportPolicy);
        }
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("ttlSeconds must be positive");
        }
    }

    public boolean relayOnly() {
        return RELAY.equals(iceTransportPolicy);
    }
}
