/**
 * The relay's configuration: {@link io.presence.turn.config.TurnSettings} (immutable, validated, defaults citing the
 * RFCs) and {@link io.presence.turn.config.RoomPolicy}. Read by every other package; depends on none but
 * {@code policy} (CIDR parsing).
 */
package io.presence.turn.config;
