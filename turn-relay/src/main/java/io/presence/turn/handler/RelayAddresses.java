package io.presence.turn.handler;

import io.presence.turn.config.TurnSettings;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Where relay sockets bind and what they advertise, per family (RFC 6156: an allocation is of the family the client
 * asks for with REQUESTED-ADDRESS-FAMILY, IPv4 when it does not ask); resolved once at start by {@link #of}.
 *
 * @param bindV4       IPv4 bind address of relay sockets (port 0 = chosen per allocation)
 * @param advertisedV4 the address put in XOR-RELAYED-ADDRESS (the external one behind NAT)
 * @param bindV6       IPv6 bind address, empty when IPv6 allocations are not served (440)
 * @param advertisedV6 the IPv6 address put in XOR-RELAYED-ADDRESS
 */
public record RelayAddresses(InetSocketAddress bindV4, InetAddress advertisedV4,
                             Optional<InetSocketAddress> bindV6, Optional<InetAddress> advertisedV6) {

    /**
     * The relay addresses {@code settings} ask for. IPv4: {@code turn.relayIpv4}; else the STUN listener's address
     * when it is a specific IPv4 one; else the host's first IPv4 address that is neither loopback nor link-local;
     * else loopback. IPv6: {@code turn.relayIpv6}; else the listener's address when it is a specific IPv6 one; else,
     * when the listener is on every interface, the host's first global IPv6 address (a global unicast one before a
     * unique local one; never loopback, link-local or one that carries an IPv4 address); else none. A listener bound
     * to a specific IPv4 address gets no IPv6 relay unless configured: the operator chose one interface.
     */
    public static RelayAddresses of(TurnSettings settings) {
        Optional<InetAddress> listener = listenerAddress(settings.listener().bindHost());
        List<InetAddress> host = hostAddresses();
        InetAddress v4 = settings.relayIpv4().orElseGet(() -> defaultIpv4(listener, host));
        InetAddress adv4 = settings.externalIpv4().orElse(v4);
        Optional<InetAddress> v6 = settings.relayIpv6().or(() -> defaultIpv6(listener, host));
        Optional<InetAddress> adv6 = settings.externalIpv6().or(() -> v6);
        return new RelayAddresses(new InetSocketAddress(v4, 0), adv4, v6.map(a -> new InetSocketAddress(a, 0)), adv6);
    }

    static InetAddress defaultIpv4(Optional<InetAddress> listener, List<InetAddress> host) {
        if (listener.isPresent() && listener.get() instanceof Inet4Address a && !a.isAnyLocalAddress()) {
            return a;
        }
        return host.stream().filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(InetAddress.getLoopbackAddress());
    }

    static Optional<InetAddress> defaultIpv6(Optional<InetAddress> listener, List<InetAddress> host) {
        if (listener.isEmpty()) {
            return Optional.empty();
        }
        InetAddress l = listener.get();
        if (l instanceof Inet6Address && !l.isAnyLocalAddress()) {
            return Optional.of(strip(l));
        }
        if (!l.isAnyLocalAddress()) {
            return Optional.empty();
        }
        Optional<InetAddress> global = host.stream().filter(a -> usableIpv6(a) && (a.getAddress()[0] & 0xE0) == 0x20)
                .findFirst();
        return global.or(() -> host.stream().filter(a -> usableIpv6(a) && (a.getAddress()[0] & 0xFE) == 0xFC)
                .findFirst()).map(RelayAddresses::strip);
    }

    /** Reachable beyond this host and not a form of an IPv4 address. */
    private static boolean usableIpv6(InetAddress a) {
        if (!(a instanceof Inet6Address) || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress() || a.isAnyLocalAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        int first16 = (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
        return first16 != 0x2002 && !(first16 == 0x2001 && b[2] == 0 && b[3] == 0) // 6to4, Teredo
                && !(first16 == 0x0064 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B); // NAT64 64:ff9b::/32
    }

    /** Without the interface's scope id: the address alone is what is bound and advertised. */
    private static InetAddress strip(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<InetAddress> listenerAddress(String bindHost) {
        try {
            return Optional.of(InetAddress.getByName(bindHost));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The addresses of the host's interfaces that are up, loopback interfaces left out. */
    private static List<InetAddress> hostAddresses() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .filter(nif -> {
                        try {
                            return nif.isUp() && !nif.isLoopback();
                        } catch (SocketException e) {
                            return false;
                        }
                    })
                    .flatMap(nif -> Collections.list(nif.getInetAddresses()).stream()).toList();
        } catch (SocketException e) {
            return List.of();
        }
    }
}
