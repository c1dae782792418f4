package io.presence.signaling.session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which peers are reverse proxies whose forwarding headers are believed ({@code server.trustedProxies}), and the
 * client address they name. Only a request whose direct peer is a trusted proxy has its headers read: anyone else
 * could write any address there. {@code X-Forwarded-For} is read right to left, skipping the trusted proxies of a
 * chain: the first address that is not one is the client (addresses further left were written by the client
 * itself). Without it, {@code Forwarded: for=} (RFC 7239) is read the same way. A header that cannot be read yields
 * the nearest address that could be, never a guess.
 *
 * <p>Immutable and thread-safe; never resolves a name.
 */
public final class TrustedProxies {

    /** Trusts nobody: every connection is its direct peer. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** One trusted address block. */
    record Block(byte[] network, int prefix) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @param entries IP addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 127.0.0.1})
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static TrustedProxies of(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            blocks.add(block(entry));
        }
        return new TrustedProxies(blocks);
    }

    private static Block block(String entry) {
        String e = entry.strip();
        int slash = e.indexOf('/');
        InetAddress address = literal(slash < 0 ? e : e.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(e.substring(slash + 1));
            } catch (NumberFormatException ex) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + entry + "' has a prefix outside 0.." + bits);
            }
        }
        return new Block(address.getAddress(), prefix);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean isTrusted(InetAddress address) {
        if (address == null) {
            return false;
        }
        for (Block b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address.
     *
     * @param peer           the socket's remote address; null when unknown
     * @param xForwardedFor  every {@code X-Forwarded-For} header value in order (empty when none)
     * @param forwarded      every {@code Forwarded} header value in order (empty when none)
     */
    public InetAddress client(InetAddress peer, List<String> xForwardedFor, List<String> forwarded) {
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        if (!xForwardedFor.isEmpty()) {
            for (String value : xForwardedFor) {
                for (String hop : value.split(",")) {
                    hops.add(hop.strip());
                }
            }
        } else {
            for (String value : forwarded) {
                for (String element : value.split(",")) {
                    hops.add(forValue(element));
                }
            }
        }
        InetAddress nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = hopAddress(hops.get(i));
            if (hop == null) {
                return nearest;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
            nearest = hop;
        }
        return nearest;
    }

    /** The {@code for} parameter of one {@code Forwarded} element, or "" without one. */
    private static String forValue(String element) {
        for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                return pair.substring(eq + 1).strip();
            }
        }
        return "";
    }

    /** {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code "[2001:db8::1]:4711"}; else null. */
    static InetAddress hopAddress(String text) {
        String t = text.strip();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            return end < 0 ? null : literal(t.substring(1, end));
        }
        int colon = t.indexOf(':');
        if (colon > 0 && t.indexOf(':', colon + 1) < 0) {
            t = t.substring(0, colon); // IPv4 with a port
        }
        return literal(t);
    }

    /** An IP literal, parsed without any name lookup; null for anything else. */
    private static InetAddress literal(String text) {
        if (!(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
