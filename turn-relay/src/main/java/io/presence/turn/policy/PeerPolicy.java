package io.presence.turn.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which peer addresses an allocation may reach: the relay must never be an open proxy into private networks.
 * Thread-safe (the lists are immutable; the own addresses are set once at start); {@link #check} allocates nothing
 * and runs on every packet relayed through the kernel, so it stays a few comparisons per range.
 *
 * <p>Order of decision, first match wins:
 * <ol>
 *   <li>the server's own listening transport addresses (exact address and port) — always denied, so a client
 *       cannot make the relay talk to its own STUN port (a loop, and a way around the per-IP 401 limit);</li>
 *   <li>the configured deny list;</li>
 *   <li>the configured allow list (tests allow loopback for an echo peer);</li>
 *   <li>the default deny list {@link #DEFAULT_DENY} (the IANA special-purpose registries, and every IPv6 address
 *       outside global unicast {@code 2000::/3});</li>
 *   <li>everything else is allowed.</li>
 * </ol>
 *
 * <p>IPv6 addresses that carry an IPv4 address ({@link EmbeddedIpv4.Form}) are judged by that address as well:
 * <ul>
 *   <li>a configured deny entry of either family denies them: the IPv6 range, or the embedded IPv4 address
 *       (for Teredo the server's and the client's);</li>
 *   <li>a configured IPv6 allow entry that covers the IPv6 address allows it (the operator named that range);</li>
 *   <li>IPv4-mapped is the IPv4 address itself (Java sends it as IPv4), so it gets exactly the IPv4 verdict,
 *       IPv4 allow entries included;</li>
 *   <li>NAT64 well-known ({@code 64:ff9b::/96}) is allowed only when its IPv4 address is outside the IPv4
 *       default deny list (RFC 6052 §3.1 forbids it for non-global IPv4 addresses); an IPv4 allow entry does not
 *       open it, because a translator, not this host, would reach that address;</li>
 *   <li>every other form (IPv4-compatible, SIIT, NAT64 local-use, 6to4, Teredo) is denied outright: each is
 *       deprecated or site-local, and a WebRTC peer behind one is rare enough that judging its IPv4 address is not
 *       worth the risk of a translator or tunnel on the path reaching what the address names.</li>
 * </ul>
 * Relay addresses of this server's own live allocations are decided elsewhere (the allocation manager knows
 * them); this class only sees addresses.
 */
public final class PeerPolicy {

    /** Why a peer was refused; a bounded metric label. */
    public enum Verdict {
        ALLOWED, DENIED_DEFAULT, DENIED_CONFIG, DENIED_OWN_ADDRESS;

        public boolean allowed() {
            return this == ALLOWED;
        }
    }

    /**
     * Ranges no relay should reach unless the operator says so: every entry of the IANA IPv4 and IPv6
     * Special-Purpose Address Registries that is not globally reachable, plus the globally reachable ones that are
     * anycast infrastructure no media peer lives on (PCP and TURN anycast, AS112, AMT, ORCHIDv2, DETs), multicast,
     * and every IPv6 address outside global unicast {@code 2000::/3} (IANA allocates nothing else, so a future
     * special-purpose block there is denied before it is named). {@code PeerPolicyTest.registryEntries} holds the
     * decision and the reason for each registry entry.
     */
    public static final List<String> DEFAULT_DENY = List.of(
            // IPv4 special-purpose registry (192.0.0.0/24 covers its /29, .8, .9, .10, .170 and .171 entries;
            // 240.0.0.0/4 covers 255.255.255.255; 192.88.99.0/24 covers the 6a44 relay 192.88.99.2).
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24",
            "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            // IPv6 outside global unicast: ::, ::1, 100::/64, 100:0:0:1::/64, 5f00::/16, fc00::/7, fe80::/10,
            // fec0::/10, ff00::/8 and everything IANA has not allocated. (The forms of EmbeddedIpv4 in ::/3 are
            // decided before this list is consulted.)
            "::/3", "4000::/2", "8000::/1",
            // IPv6 special-purpose registry inside 2000::/3 (2001::/23 covers Teredo, the PCP, TURN and DNS-SD SRP
            // anycast addresses, benchmarking, AMT, AS112, ORCHID, ORCHIDv2 and DETs).
            "2001::/23", "2001:db8::/32", "2002::/16", "2620:4f:8000::/48", "3fff::/20");
    private static final List<Cidr> DEFAULT_DENY_RANGES = DEFAULT_DENY.stream().map(Cidr::parse).toList();

    private final Ranges deny;
    private final Ranges allow;
    private final Ranges defaults;
    // Known only once the listeners are bound; set once at start, read on every send.
    private volatile InetSocketAddress[] ownAddresses;

    /**
     * @param allow        configured allow list (CIDR text); a malformed entry throws naming it
     * @param deny         configured deny list (CIDR text)
     * @param ownAddresses the server's listening transport addresses, always denied
     */
    public PeerPolicy(Collection<String> allow, Collection<String> deny, Collection<InetSocketAddress> ownAddresses) {
        this.allow = new Ranges(parseAll("allow", allow));
        this.deny = new Ranges(parseAll("deny", deny));
        this.defaults = new Ranges(DEFAULT_DENY_RANGES);
        this.ownAddresses = ownAddresses.toArray(new InetSocketAddress[0]);
    }

    /** Sets the server's own listening addresses (known only once the listeners are bound). */
    public void ownAddresses(Collection<InetSocketAddress> own) {
        this.ownAddresses = own.toArray(new InetSocketAddress[0]); // an array: no iterator per packet
    }

    private static List<Cidr> parseAll(String which, Collection<String> entries) {
        List<Cidr> out = new ArrayList<>();
        for (String e : entries) {
            try {
                out.add(Cidr.parse(e));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("turn peer " + which + " list: " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** The verdict for a peer transport address. */
    public Verdict check(InetSocketAddress peer) {
        InetSocketAddress[] own = ownAddresses;
        if (own.length > 0 && isOwn(own, peer)) {
            return Verdict.DENIED_OWN_ADDRESS;
        }
        return check(peer.getAddress());
    }

    private static boolean isOwn(InetSocketAddress[] ownAddresses, InetSocketAddress peer) {
        for (InetSocketAddress own : ownAddresses) {
            if (own.getPort() == peer.getPort()
                    && (own.getAddress().equals(peer.getAddress()) || own.getAddress().isAnyLocalAddress())) {
                return true;
            }
        }
        return false;
    }

    /** The verdict for a peer IP address. */
    public Verdict check(InetAddress ip) {
        if (ip instanceof Inet4Address) {
            return checkV4(IpBits.v4(ip.getAddress()));
        }
        byte[] b = ip.getAddress();
        return checkV6(IpBits.hi(b), IpBits.lo(b));
    }

    /** The verdict for raw address bytes (4 or 16), as a parser delivers them. */
    public Verdict check(byte[] ip) {
        return ip.length == 4 ? checkV4(IpBits.v4(ip)) : checkV6(IpBits.hi(ip), IpBits.lo(ip));
    }

    public Verdict checkV4(int v4) {
        if (deny.containsV4(v4)) {
            return Verdict.DENIED_CONFIG;
        }
        if (allow.containsV4(v4)) {
            return Verdict.ALLOWED;
        }
        return defaults.containsV4(v4) ? Verdict.DENIED_DEFAULT : Verdict.ALLOWED;
    }

    public Verdict checkV6(long hi, long lo) {
        if (deny.containsV6(hi, lo)) {
            return Verdict.DENIED_CONFIG;
        }
        EmbeddedIpv4.Form form = EmbeddedIpv4.form(hi, lo);
        if (form != null) {
            return checkEmbedded(form, hi, lo);
        }
        if (allow.containsV6(hi, lo)) {
            return Verdict.ALLOWED;
        }
        return defaults.containsV6(hi, lo) ? Verdict.DENIED_DEFAULT : Verdict.ALLOWED;
    }

    /** An IPv6 address that carries an IPv4 address; the rules are in the class comment. */
    private Verdict checkEmbedded(EmbeddedIpv4.Form form, long hi, long lo) {
        int v4 = (int) form.ipv4(hi, lo);
        long server = EmbeddedIpv4.teredoServer(hi, lo);
        if (deny.containsV4(v4) || (server != EmbeddedIpv4.NONE && deny.containsV4((int) server))) {
            return Verdict.DENIED_CONFIG;
        }
        if (allow.containsV6(hi, lo)) {
            return Verdict.ALLOWED;
        }
        return switch (form) {
            case MAPPED -> checkV4(v4);
            case NAT64 -> defaults.containsV4(v4) ? Verdict.DENIED_DEFAULT : Verdict.ALLOWED;
            case COMPATIBLE, TRANSLATED, NAT64_LOCAL, SIX_TO_FOUR, TEREDO -> Verdict.DENIED_DEFAULT;
        };
    }

    /** A list of ranges split by family; a linear scan of a few dozen entries beats any tree at this size. */
    private static final class Ranges {
        private final Cidr[] v4;
        private final Cidr[] v6;

        Ranges(List<Cidr> all) {
            this.v4 = all.stream().filter(c -> !c.ipv6()).toArray(Cidr[]::new);
            this.v6 = all.stream().filter(Cidr::ipv6).toArray(Cidr[]::new);
        }

        boolean containsV4(int addr) {
            for (Cidr c : v4) {
                if (c.containsV4(addr)) {
                    return true;
                }
            }
            return false;
        }

        boolean containsV6(long hi, long lo) {
            for (Cidr c : v6) {
                if (c.containsV6(hi, lo)) {
                    return true;
                }
            }
            return false;
        }
    }
}
