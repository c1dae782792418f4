package io.presence.turn.allocation;

import io.presence.turn.policy.EmbeddedIpv4;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses of the appliance's own host: every address of every network interface (enumerated at start) and
 * their broadcast addresses, the relay's bind and advertised addresses, the whole loopback range
 * ({@code 127.0.0.0/8}, {@code ::1}), the unspecified addresses ({@code 0.0.0.0/8}, {@code ::}), which Linux
 * delivers to the host itself, and every broadcast and multicast address ({@code 255.255.255.255},
 * {@code 224.0.0.0/4}, {@code ff00::/8}: the host is a member of the all-hosts groups and loops its own multicast
 * back, so a socket bound to the wildcard address would get the datagram). An IPv6 address that embeds an IPv4 one
 * ({@link EmbeddedIpv4}: mapped, compatible, NAT64, 6to4…) is judged by that IPv4 address.
 *
 * <p>A relayed datagram to one of these is the relay talking to its own host: its signaling, STUN and admin
 * listeners, or any other local service. The only peers on it a client may reach are live relay allocations of its
 * own room, and those are reached in process ({@link Allocation#sendToPeer}), never through the kernel — so the
 * relay never sends a datagram to its own host, and a datagram that arrives at a relay socket from its own host
 * came from something other than an allocation. The configured allow list does not change this: it opens address
 * ranges of other hosts, and {@code 127.0.0.0/8} in it would otherwise open every local service.
 *
 * <p>{@code TurnSettings.allowLoopbackPeers} (test and benchmark harnesses, whose echo peers can only live on this
 * host; the appliance's configuration has no key for it) makes loopback addresses {@link Kind#LOOPBACK_PEER}: ports
 * outside the relay port range may be reached like any peer the policy allows, as coturn's
 * {@code --allow-loopback-peers} does.
 *
 * <p>Thread-safe: an immutable snapshot, replaced once at start ({@link #addresses}). The checks allocate nothing
 * but the address bytes Java copies out; they run when a permission is made, not per datagram (the permission
 * keeps the answer, {@link Permission#hostKind()}).
 */
public final class OwnHost {
    /** Where an address is, as far as relaying to it goes. */
    public enum Kind {
        /** Another host. */
        ELSEWHERE,
        /** This host: only live relay allocations of the same room, in process. */
        OWN,
        /** Loopback with {@code allowLoopbackPeers}: this host, but ports outside the relay range are peers. */
        LOOPBACK_PEER
    }

    private record Snapshot(int[] v4, long[] v6, int[] relayV4, long[] relayV6) {
    }

    private final boolean loopbackPeers;
    private final int portMin;
    private final int portMax;
    private volatile Snapshot snapshot = new Snapshot(new int[0], new long[0], new int[0], new long[0]);

    /**
     * @param loopbackPeers whether loopback ports outside the relay range count as peers (test harnesses)
     * @param portMin       first relay port
     * @param portMax       last relay port
     */
    public OwnHost(boolean loopbackPeers, int portMin, int portMax) {
        this.loopbackPeers = loopbackPeers;
        this.portMin = portMin;
        this.portMax = portMax;
    }

    /**
     * Sets the host's addresses: {@code host} (interfaces, listeners, advertised addresses) and {@code relay} (the
     * addresses relay sockets bind to and advertise; they are the host's too). Once at start.
     */
    public void addresses(Collection<InetAddress> host, Collection<InetAddress> relay) {
        Set<InetAddress> all = new LinkedHashSet<>(host);
        all.addAll(relay);
        List<Integer> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        split(all, v4, v6);
        List<Integer> r4 = new ArrayList<>();
        List<long[]> r6 = new ArrayList<>();
        split(relay, r4, r6);
        snapshot = new Snapshot(ints(v4), longs(v6), ints(r4), longs(r6));
    }

    /**
     * Every address of every interface of this host, up or not (an interface can come up later), and the IPv4
     * broadcast address of each.
     */
    public static List<InetAddress> interfaceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(nif.getInetAddresses()));
                for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                    if (ia.getBroadcast() != null) {
                        out.add(ia.getBroadcast());
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list: the relay, listener and loopback addresses still count as this host.
        }
        return out;
    }

    /** Where {@code ip} is. */
    public Kind kind(InetAddress ip) {
        Snapshot s = snapshot;
        byte[] b = ip.getAddress();
        long hi = b.length == 16 ? longAt(b, 0) : 0;
        long lo = b.length == 16 ? longAt(b, 8) : 0;
        long v4 = b.length == 4 ? v4(b) & 0xFFFFFFFFL : EmbeddedIpv4.of(hi, lo);
        if (v4 == EmbeddedIpv4.NONE) {
            if (hi == 0 && lo == 1) {
                return loopbackPeers ? Kind.LOOPBACK_PEER : Kind.OWN; // ::1
            }
            if (hi == 0 && lo == 0 || (hi >>> 56) == 0xFF || contains(s.v6, hi, lo)) {
                return Kind.OWN;
            }
            return Kind.ELSEWHERE;
        }
        int a = (int) v4;
        int top = a >>> 24;
        if (top == 127) {
            return loopbackPeers ? Kind.LOOPBACK_PEER : Kind.OWN;
        }
        if (top == 0 || top >= 224 && top <= 239 || a == -1 || contains(s.v4, a)
                || b.length == 16 && contains(s.v6, hi, lo)) {
            return Kind.OWN;
        }
        return Kind.ELSEWHERE;
    }

    /** Whether {@code port} is in the relay port range (where allocations live). */
    public boolean relayPort(int port) {
        return port >= portMin && port <= portMax;
    }

    /**
     * Whether {@code peer} is a relay address of this server: one of the relay's bind or advertised addresses (an
     * IPv4 one also in an IPv6 form that embeds it) with a port of the relay range, live allocation there or not.
     */
    public boolean relayAddress(InetSocketAddress peer) {
        if (!relayPort(peer.getPort())) {
            return false;
        }
        Snapshot s = snapshot;
        byte[] b = peer.getAddress().getAddress();
        if (b.length == 4) {
            return contains(s.relayV4, v4(b));
        }
        long hi = longAt(b, 0);
        long lo = longAt(b, 8);
        long v4 = EmbeddedIpv4.of(hi, lo);
        return contains(s.relayV6, hi, lo) || v4 != EmbeddedIpv4.NONE && contains(s.relayV4, (int) v4);
    }

    private static void split(Collection<InetAddress> in, List<Integer> v4, List<long[]> v6) {
        for (InetAddress a : in) {
            byte[] b = a.getAddress();
            if (a instanceof Inet4Address) {
                v4.add(v4(b));
            } else {
                v6.add(new long[] {longAt(b, 0), longAt(b, 8)});
            }
        }
    }

    private static int[] ints(List<Integer> in) {
        return in.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] longs(List<long[]> in) {
        long[] out = new long[in.size() * 2];
        for (int i = 0; i < in.size(); i++) {
            out[2 * i] = in.get(i)[0];
            out[2 * i + 1] = in.get(i)[1];
        }
        return out;
    }

    private static boolean contains(int[] set, int a) {
        for (int x : set) {
            if (x == a) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(long[] pairs, long hi, long lo) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i] == hi && pairs[i + 1] == lo) {
                return true;
            }
        }
        return false;
    }

    private static int v4(byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
