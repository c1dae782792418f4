package io.presence.signaling.live;

import io.presence.signaling.protocol.IceServer;

import io.presence.signaling.protocol.IceConfiguration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The STUN/TURN URLs handed to call participants, built once from configuration, combined per participant with
 * freshly minted {@link Credentials} into an {@link IceConfiguration}. Immutable and thread safe.
 *
 * <p>For this appliance (RFC 7064 / RFC 7065 URI syntax; IPv6 literals in brackets):
 * <pre>
 * stun:HOST:STUN_PORT
 * turn:HOST:TURN_PORT?transport=udp
 * turn:HOST:TURN_PORT?transport=tcp
 * turns:HOST:TURNS_PORT?transport=tcp      (only when TLS is configured)
 * </pre>
 * In external relay mode the configured coturn URLs are used as they are.
 */
public final class IceServers {

    /** RFC 8489 §18.6 / RFC 8656 §19: default STUN and TURN port. */
    public static final int DEFAULT_PORT = 3478;
    /** RFC 8656 §19: default STUN/TURN over TLS port. */
    public static final int DEFAULT_TLS_PORT = 5349;

    private final List<String> urls;

    private IceServers(List<String> urls) {
        this.urls = List.copyOf(urls);
    }

    /**
     * URLs of this appliance's own STUN and TURN listeners.
     *
     * @param publicHost the host name or IP address clients reach the appliance at (IPv6 with or without brackets)
     * @param turnsPort  the TLS port, empty when no certificate is configured
     */
    public static IceServers appliance(String publicHost, int stunPort, int turnPort, OptionalInt turnsPort) {
        String host = hostPart(publicHost);
        checkPort("stunPort", stunPort);
        checkPort("turnPort", turnPort);
        List<String> urls = new ArrayList<>(4);
        urls.add("stun:" + host + ":" + stunPort);
        urls.add("turn:" + host + ":" + turnPort + "?transport=udp");
        urls.add("turn:" + host + ":" + turnPort + "?transport=tcp");
        if (turnsPort.isPresent()) {
            checkPort("turnsPort", turnsPort.getAsInt());
            urls.add("turns:" + host + ":" + turnsPort.getAsInt() + "?transport=tcp");
        }
        return new IceServers(urls);
    }

    /**
     * External relay mode: the configured coturn URLs ({@code stun:}, {@code stuns:}, {@code turn:},
     * {@code turns:}; at least one TURN URL).
     */
    public static IceServers external(List<String> urls) {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("external relay urls must not be empty");
        }
        boolean hasTurn = false;
        for (String url : urls) {
            Objects.requireNonNull(url, "url");
            String lower = url.toLowerCase(Locale.ROOT);
            boolean turn = lower.startsWith("turn:") || lower.startsWith("turns:");
            if (!(turn || lower.startsWith("stun:") || lower.startsWith("stuns:"))) {
                throw new IllegalArgumentException("external relay url must be stun:, stuns:, turn: or turns:, was "
                        + url);
            }
            if (url.length() > 512 || url.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
                throw new IllegalArgumentException("external relay url has spaces or non-ASCII: " + url);
            }
            hasTurn |= turn;
        }
        if (!hasTurn) {
            throw new IllegalArgumentException("external relay urls need at least one turn: or turns: url");
        }
        return new IceServers(urls);
    }

    public List<String> urls() {
        return urls;
    }

    /**
     * The host of every URL ({@code turn:host:port?...}, IPv6 without brackets), in order, without duplicates: in
     * external relay mode these are resolved once to learn which addresses the relay's candidates may carry.
     */
    public List<String> hosts() {
        List<String> hosts = new ArrayList<>();
        for (String url : urls) {
            String rest = url.substring(url.indexOf(':') + 1);
            int query = rest.indexOf('?');
            if (query >= 0) {
                rest = rest.substring(0, query);
            }
            String host;
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                host = close < 0 ? rest.substring(1) : rest.substring(1, close);
            } else {
                int colon = rest.lastIndexOf(':');
                host = colon < 0 ? rest : rest.substring(0, colon);
            }
            if (!host.isEmpty() && !hosts.contains(host)) {
                hosts.add(host);
            }
        }
        return hosts;
    }

    /**
     * The configuration for one participant.
     *
     * @param relayOnly whether the room is in privacy mode ({@code iceTransportPolicy: "relay"})
     */
    public IceConfiguration configuration(Credentials credentials, boolean relayOnly) {
        Objects.requireNonNull(credentials, "credentials");
        IceServer server = new IceServer(urls, credentials.username(), credentials.password());
        return new IceConfiguration(List.of(server), relayOnly ? IceConfiguration.RELAY : IceConfiguration.ALL,
                credentials.ttlSeconds());
    }

    @Override
    public String toString() {
        return "IceServers" + urls;
    }

    static String hostPart(String publicHost) {
        Objects.requireNonNull(publicHost, "publicHost");
        String host = publicHost.trim();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (IpLiterals.isIpv6(host) && host.indexOf('%') < 0) {
            return "[" + host + "]";
        }
        if (host.isEmpty() || host.length() > 253
                || !host.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '-')) {
            throw new IllegalArgumentException("publicHost must be a host name or IP address, was '"
                    + publicHost + "'");
        }
        return host;
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 1..65535, was " + port);
        }
    }
}
