package io.presence.turn.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which peer addresses an allocation may reach: the relay must never be an open proxy into private networks.
 * Thread-safe (the lists are immutable; the own addresses are set once at start); {@link #check} allocates nothing and runs on every relayed packet.
 *
 * <p>Order of decision, first match wins:
 * <ol>
 *   <li>the server's own listening transport addresses (exact address and port) — always denied, so a client
 *       cannot make the relay talk to its own STUN port (a loop, and a way around the per-IP 401 limit);</li>
 *   <li>the configured deny list;</li>
 *   <li>the configured allow list (tests allow loopback for an echo peer);</li>
 *   <li>the default deny list {@link #DEFAULT_DENY} (special-purpose and private ranges, RFC 6890);</li>
 *   <li>everything else is allowed.</li>
 * </ol>
 * IPv6 addresses that embed an IPv4 address ({@link EmbeddedIpv4}) are checked as that IPv4 address.
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
     * Ranges no relay should reach unless the operator says so (RFC 6890 special-purpose registries, cloud
     * metadata at 169.254.169.254, multicast, documentation and benchmarking ranges).
     */
    public static final List<String> DEFAULT_DENY = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "100::/64", "2001:db8::/32");

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
        long embedded = EmbeddedIpv4.of(hi, lo);
        if (embedded != EmbeddedIpv4.NONE) {
            return checkV4((int) embedded);
        }
        if (deny.containsV6(hi, lo)) {
            return Verdict.DENIED_CONFIG;
        }
        if (allow.containsV6(hi, lo)) {
            return Verdict.ALLOWED;
        }
        return defaults.containsV6(hi, lo) ? Verdict.DENIED_DEFAULT : Verdict.ALLOWED;
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
