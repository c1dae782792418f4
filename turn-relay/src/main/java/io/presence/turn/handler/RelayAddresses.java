package io.presence.turn.handler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where relay sockets bind and what they advertise, per family; resolved once at start.
 *
 * @param bindV4       IPv4 bind address of relay sockets (port 0 = chosen per allocation)
 * @param advertisedV4 the address put in XOR-RELAYED-ADDRESS (the external one behind NAT)
 * @param bindV6       IPv6 bind address, empty when IPv6 allocations are not served (440)
 * @param advertisedV6 the IPv6 address put in XOR-RELAYED-ADDRESS
 */
public record RelayAddresses(InetSocketAddress bindV4, InetAddress advertisedV4,
                             Optional<InetSocketAddress> bindV6, Optional<InetAddress> advertisedV6) {
}
