package io.presence.signaling.live;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A credential minter that records every call as a line ({@code mint room participant}, {@code revoke …},
 * {@code policy room relay|open}, {@code closed room}) and mints coturn-style credentials.
 */
public final class RecordingMinter implements CredentialMinter {
    private final CoturnRestMinter real = new CoturnRestMinter("test-secret");
    public final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public Credentials mint(String roomId, String participantId, Duration ttl) {
        calls.add("mint " + roomId + " " + participantId);
        return real.mint(roomId, participantId, ttl);
    }

    @Override
    public void revoke(String roomId, String participantId) {
        calls.add("revoke " + roomId + " " + participantId);
    }

    @Override
    public void roomPolicy(String roomId, boolean relayOnly) {
        calls.add("policy " + roomId + " " + (relayOnly ? "relay" : "open"));
    }

    @Override
    public void roomClosed(String roomId) {
        calls.add("closed " + roomId);
    }

    /** The relay of the tests' candidates: 198.51.100.10 and 2001:db8:7::10, any port from 1024. */
    @Override
    public boolean admitsRelayCandidate(String roomId, java.net.InetAddress address, int port) {
        return port >= 1024 && TestRelay.ADDRESSES.contains(address);
    }

    public boolean saw(String line) {
        return calls.contains(line);
    }
}
