package io.presence.turn;

/**
 * A snapshot of the relay for the signaling side and admin pages.
 *
 * @param allocations      live allocations
 * @param permissions      installed permissions
 * @param channels         bound channels
 * @param relayPortsInUse  relay ports taken (allocations and reservations)
 * @param relayPortsTotal  size of the relay port range
 * @param accepting        false after {@code stopAccepting()}
 */
public record RelayStats(int allocations, int permissions, int channels, int relayPortsInUse, int relayPortsTotal,
                         boolean accepting) {
}
