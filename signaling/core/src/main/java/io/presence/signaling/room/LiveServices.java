package io.presence.signaling.room;

import io.presence.signaling.live.CoturnRestMinter;
import io.presence.signaling.live.CredentialMinter;
import io.presence.signaling.live.IceServers;
import io.presence.signaling.live.RelayOnlyFilter;
import io.presence.signaling.live.SdpValidator;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What rooms need to run calls, given by the composition root: the credential minter (the in-process relay, or
 * an external coturn), the ICE URLs handed to participants, and the call limits. Immutable.
 *
 * @param minter           mints and revokes TURN credentials for (room, participant)
 * @param iceServers       STUN/TURN URLs clients get with their credentials
 * @param credentialTtl    lifetime of minted credentials; clients refresh before it ends
 * @param meshCap          participants in one room's call (a full mesh: each sends to every other)
 * @param relayOnlyDefault privacy mode for rooms created without an explicit {@code relayOnly}
 * @param sdpValidator     checks every SDP and candidate before it is relayed
 */
public record LiveServices(CredentialMinter minter, IceServers iceServers, Duration credentialTtl, int meshCap,
                           boolean relayOnlyDefault, SdpValidator sdpValidator) {

    public static final Duration DEFAULT_CREDENTIAL_TTL = Duration.ofMinutes(10);
    public static final int DEFAULT_MESH_CAP = 8;
    public static final int MAX_MESH_CAP = 64;

    public LiveServices {
        Objects.requireNonNull(minter, "minter");
        Objects.requireNonNull(iceServers, "iceServers");
        Objects.requireNonNull(sdpValidator, "sdpValidator");
        if (credentialTtl == null || credentialTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("credentialTtl must be at least one second");
        }
        if (meshCap < 2 || meshCap > MAX_MESH_CAP) {
            throw new IllegalArgumentException("meshCap must be 2.." + MAX_MESH_CAP + ", was " + meshCap);
        }
    }

    /**
     * For a signaling server without a relay (tests, tools): coturn-style credentials under a random secret that
     * nothing verifies, and URLs on 127.0.0.1:3478 (relay candidates on 127.0.0.1 are admitted in relay-only
     * rooms). Calls still work wherever peers reach each other directly.
     */
    public static LiveServices standalone() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new LiveServices(new CoturnRestMinter(Base64.getEncoder().encodeToString(secret),
                        Set.of(InetAddress.getLoopbackAddress())),
                IceServers.appliance("127.0.0.1", IceServers.DEFAULT_PORT, IceServers.DEFAULT_PORT,
                        OptionalInt.empty()),
                DEFAULT_CREDENTIAL_TTL, DEFAULT_MESH_CAP, false, new SdpValidator());
    }

    RelayOnlyFilter relayOnlyFilter() {
        return FILTER;
    }

    private static final RelayOnlyFilter FILTER = new RelayOnlyFilter();
}
