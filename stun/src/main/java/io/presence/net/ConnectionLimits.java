package io.presence.net;

/**
 * How many TCP/TLS connections one listener (or group of listeners sharing a {@link ConnectionGate}) holds at once.
 *
 * @param maxConnections     connections at once, from everyone
 * @param maxPerSource       connections at once from one source: one IPv4 address, or one IPv6 /64 (a host
 *                           usually has a whole /64, so a per-address cap would not hold there)
 */
public record ConnectionLimits(int maxConnections, int maxPerSource) {
    public ConnectionLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        if (maxPerSource < 1) {
            throw new IllegalArgumentException("maxPerSource must be at least 1, not " + maxPerSource);
        }
    }

    /** The same per-source cap with another total (a budget clamped to the descriptors there are). */
    public ConnectionLimits withMaxConnections(int max) {
        return new ConnectionLimits(max, maxPerSource);
    }
}
