package io.presence.signaling.app.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import static io.presence.signaling.app.config.ConfigSchema.SERVER_PUBLIC_HOST;
import static io.presence.signaling.app.config.ConfigSchema.STUN_HOST;
import static io.presence.signaling.app.config.ConfigSchema.TURN_EXTERNAL_IPV4;
import static io.presence.signaling.app.config.ConfigSchema.TURN_RELAY_IPV4;

/**
 * The host browsers are told to reach this appliance at (ICE server URLs, the printed web client address), and
 * where it came from. {@code server.publicHost} when set; else the first of: {@code turn.externalIpv4} (the NAT's
 * public address), {@code stun.host} when it is a specific address (the port is reachable nowhere else),
 * {@code turn.relayIpv4} when it is a specific address other than loopback; else this machine's first public IPv4
 * interface address, else its first private one (LAN only), else 127.0.0.1 (this machine only).
 *
 * <p>IPv6 interface addresses are not chosen: relayed addresses are IPv4 by default, and a host with a public IPv6
 * address but only a private IPv4 one is better served by setting {@code server.publicHost} to a name.
 */
public record PublicHost(String host, Origin origin, Reach reach) {

    /** Which rule chose the host. */
    public enum Origin {
        CONFIGURED("server.publicHost"),
        EXTERNAL_IPV4("turn.externalIpv4"),
        STUN_HOST("stun.host"),
        RELAY_IPV4("turn.relayIpv4"),
        PUBLIC_INTERFACE("detected: this machine's first public interface address"),
        PRIVATE_INTERFACE("detected: this machine has no public interface address"),
        LOOPBACK("detected: this machine has no address but loopback");

        private final String text;

        Origin(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** Who can reach the host: judged from the address (a name is taken to be public). */
    public enum Reach { ANYWHERE, LAN, THIS_MACHINE }

    private static final String LOOPBACK_IPV4 = "127.0.0.1";

    public static PublicHost choose(PresenceConfig config, HostAddresses interfaces) {
        ConfigValues v = config.values();
        String configured = v.get(SERVER_PUBLIC_HOST);
        if (!configured.isEmpty()) {
            return new PublicHost(configured, Origin.CONFIGURED, reach(configured));
        }
        String external = v.get(TURN_EXTERNAL_IPV4);
        if (!external.isEmpty()) {
            return new PublicHost(external, Origin.EXTERNAL_IPV4, reach(external));
        }
        String stunHost = unbracketed(v.get(STUN_HOST));
        if (specific(stunHost)) {
            return new PublicHost(stunHost, Origin.STUN_HOST, reach(stunHost));
        }
        String relay = v.get(TURN_RELAY_IPV4);
        if (specific(relay) && reach(relay) != Reach.THIS_MACHINE) {
            return new PublicHost(relay, Origin.RELAY_IPV4, reach(relay));
        }
        Optional<InetAddress> lan = Optional.empty();
        for (InetAddress a : interfaces.list()) {
            if (!(a instanceof Inet4Address) || a.isLoopbackAddress() || a.isLinkLocalAddress()
                    || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                continue;
            }
            if (!isPrivate(a)) {
                return new PublicHost(a.getHostAddress(), Origin.PUBLIC_INTERFACE, Reach.ANYWHERE);
            }
            if (lan.isEmpty()) {
                lan = Optional.of(a);
            }
        }
        return lan.map(a -> new PublicHost(a.getHostAddress(), Origin.PRIVATE_INTERFACE, Reach.LAN))
                .orElseGet(() -> new PublicHost(LOOPBACK_IPV4, Origin.LOOPBACK, Reach.THIS_MACHINE));
    }

    /**
     * One line for the operator when browsers elsewhere cannot use the host (which key to set), or a LAN-only note;
     * empty when the host was configured or is public.
     */
    public Optional<String> warning() {
        if (origin == Origin.CONFIGURED) {
            return Optional.empty();
        }
        String set = "set " + SERVER_PUBLIC_HOST.path() + " (" + SERVER_PUBLIC_HOST.envName()
                + ") to this machine's public name or IP";
        return switch (reach) {
            case ANYWHERE -> Optional.empty();
            case LAN -> Optional.of("calls reach STUN/TURN at " + host + ", a private address: they work on this LAN "
                    + "only; for browsers elsewhere " + set);
            case THIS_MACHINE -> Optional.of("remote browsers cannot reach STUN/TURN at " + host + " (this machine "
                    + "only): " + set);
        };
    }

    /** {@code host}, and a URL's host part ({@code [::1]} for IPv6). */
    public String urlHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Who can reach {@code host} (an IP literal, bracketed or not, or a name). */
    public static Reach reach(String host) {
        Optional<InetAddress> ip = literal(unbracketed(host));
        if (ip.isEmpty()) {
            return "localhost".equalsIgnoreCase(host) ? Reach.THIS_MACHINE : Reach.ANYWHERE;
        }
        InetAddress a = ip.get();
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return Reach.THIS_MACHINE;
        }
        return isPrivate(a) || a.isLinkLocalAddress() ? Reach.LAN : Reach.ANYWHERE;
    }

    /** RFC 1918, the carrier-grade NAT range 100.64.0.0/10 (RFC 6598) and IPv6 unique local addresses. */
    static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return a.isSiteLocalAddress() || ((b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64);
        }
        return (b[0] & 0xFE) == 0xFC || a.isSiteLocalAddress();
    }

    private static boolean specific(String host) {
        Optional<InetAddress> ip = literal(host);
        return !host.isEmpty() && (ip.isEmpty() || !ip.get().isAnyLocalAddress());
    }

    /** The address an IP literal stands for; empty for a name (never looked up: no DNS at start). */
    private static Optional<InetAddress> literal(String host) {
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
