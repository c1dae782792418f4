package io.presence.signaling.app.config;

import io.presence.net.ConnectionLimits;
import io.presence.net.DescriptorBudget;
import io.presence.signaling.transport.SignalingServer;
import io.presence.stun.server.StunSettings;

import java.util.OptionalLong;

import static io.presence.signaling.app.config.ConfigSchema.SERVER_DESCRIPTOR_RESERVE;
import static io.presence.signaling.app.config.ConfigSchema.SIGNALING_MAX_CONNECTIONS;
import static io.presence.signaling.app.config.ConfigSchema.SIGNALING_MAX_CONNECTIONS_PER_IP;
import static io.presence.signaling.app.config.ConfigSchema.STUN_MAX_CONNECTIONS;
import static io.presence.signaling.app.config.ConfigSchema.STUN_MAX_CONNECTIONS_PER_IP;

/**
 * The TCP listeners' connection caps, fitted to this process's descriptor limit: with the STUN port, the signaling
 * listeners and the admin listener all at their caps, {@code server.descriptorReserve} descriptors are still free
 * (for UDP, the admin listener's own work, files). A cap of 0 takes its share of what is left (STUN one quarter,
 * signaling three quarters: TURN over TCP is a fallback, signaling is every member's connection); configured caps
 * that do not fit are scaled down together, and {@link #warning()} says so.
 *
 * @param stun      the STUN port's TCP and TLS listeners
 * @param signaling the WebSocket, WSS and TCP signaling listeners
 * @param warning   why the configured caps were lowered, or null
 */
public record ConnectionBudget(ConnectionLimits stun, ConnectionLimits signaling, String warning) {

    /**
     * The admin listener's caps: probes and scrapers hold a few connections at once; a cap keeps anything that floods
     * that listener from taking descriptors the public listeners need, and the budget counts exactly this many.
     */
    public static final ConnectionLimits ADMIN = new ConnectionLimits(64, 64);
    /** Caps of 0 when the descriptor limit cannot be read (not a Unix JVM): the modules' own defaults. */
    private static final int UNKNOWN_LIMIT_STUN = StunSettings.DEFAULT_MAX_CONNECTIONS;
    private static final int UNKNOWN_LIMIT_SIGNALING = SignalingServer.DEFAULT_CONNECTION_LIMITS.maxConnections();

    /** For this process, now. */
    public static ConnectionBudget current(ConfigValues v) {
        return of(v, DescriptorBudget.processLimit(), DescriptorBudget.openNow().orElse(0));
    }

    static ConnectionBudget of(ConfigValues v, OptionalLong processLimit, long openNow) {
        int stunCap = v.get(STUN_MAX_CONNECTIONS);
        int signalingCap = v.get(SIGNALING_MAX_CONNECTIONS);
        int[] caps = {stunCap, signalingCap};
        String warning = null;
        if (processLimit.isEmpty()) {
            caps = new int[] {stunCap == 0 ? UNKNOWN_LIMIT_STUN : stunCap,
                    signalingCap == 0 ? UNKNOWN_LIMIT_SIGNALING : signalingCap};
        } else {
            long reserve = v.get(SERVER_DESCRIPTOR_RESERVE);
            long available = processLimit.getAsLong() - openNow - reserve - ADMIN.maxConnections();
            caps = DescriptorBudget.fit(available, caps, new int[] {1, 3});
            if ((stunCap != 0 && caps[0] < stunCap) || (signalingCap != 0 && caps[1] < signalingCap)
                    || available < 2L * DescriptorBudget.MIN_CAP) {
                warning = String.format("connection caps lowered to fit %d file descriptors (%d open, %d reserved by "
                                + "server.descriptorReserve, %d for the admin listener): stun.maxConnections %d, "
                                + "signaling.maxConnections %d; raise the limit (ulimit -n, LimitNOFILE) or lower the caps",
                        processLimit.getAsLong(), openNow, reserve, ADMIN.maxConnections(), caps[0], caps[1]);
            }
        }
        return new ConnectionBudget(new ConnectionLimits(caps[0], v.get(STUN_MAX_CONNECTIONS_PER_IP)),
                new ConnectionLimits(caps[1], v.get(SIGNALING_MAX_CONNECTIONS_PER_IP)), warning);
    }
}
