package io.presence.turn.config;

import io.presence.stun.server.StunSettings;
import io.presence.turn.policy.Cidr;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of the TURN relay. Immutable; validated on construction — an impossible value (a malformed
 * CIDR, a port range upside down, a lifetime of zero) throws {@link IllegalArgumentException} naming the
 * field, so a bad configuration stops the start. The appliance maps its {@code turn.} keys onto this record
 * with {@link #builder()}; nothing here reads files.
 *
 * @param listener                  the shared STUN/TURN port (UDP+TCP, TLS when configured)
 * @param realm                     REALM of the long-term credential mechanism
 * @param secrets                   REST secrets: the first mints, all verify (rotation); required to start
 * @param maxCredentialTtl          cap on the TTL of minted credentials
 * @param allocationDefaultLifetime lifetime when the client asks for none or less (RFC 8656 §3.2: 10 min)
 * @param allocationMaxLifetime     cap on requested lifetimes (RFC 8656 §7.2: at least 1 hour is recommended)
 * @param permissionLifetime        RFC 8656 §9: 300 s, not negotiable
 * @param channelLifetime           RFC 8656 §12: 600 s, not negotiable
 * @param nonceLifetime             age after which a nonce gets 438 Stale Nonce
 * @param relayIpv4                 address relay sockets bind to for IPv4 allocations; empty = the listener's
 *                                  address when it is specific, else loopback (set it in production)
 * @param relayIpv6                 address for IPv6 allocations; empty = IPv6 allocations get 440
 * @param externalIpv4              address advertised in XOR-RELAYED-ADDRESS when the relay is behind NAT
 * @param externalIpv6              same for IPv6
 * @param relayPortMin              first relay port (RFC 8656 §7.2 recommends 49152–65535)
 * @param relayPortMax              last relay port
 * @param allowPeers                CIDRs allowed although in the default deny list (e.g. loopback in tests)
 * @param denyPeers                 CIDRs denied in addition to the defaults; beats the allow list
 * @param quotas                    per participant, room, allocation and server limits
 * @param unauthenticatedRate       401/438 answers per source IP per second (port ignored); 0 = unlimited
 * @param unauthenticatedBurst      bucket size of that limit
 * @param legacyChannelNumbers      accept channel numbers 0x4000–0x7FFF (RFC 5766 §11) rather than only
 *                                  0x4000–0x4FFF (RFC 8656 §12): coturn's own client still picks up to 0x7FFF
 * @param peerSockets               most allocations at once with a socket of their relay address connected to the
 *                                  first peer they send to ({@code transport.PeerSockets}); 0 = off
 * @param allowLoopbackPeers        test and benchmark harnesses only (no configuration key): loopback ports outside
 *                                  the relay range count as peers (still subject to the allow and deny lists), as
 *                                  coturn's {@code --allow-loopback-peers}; off, every port of this host other than
 *                                  a live relay allocation of the same room is refused whatever {@code allowPeers}
 *                                  says ({@code allocation.OwnHost})
 */
public record TurnSettings(StunSettings listener, String realm, List<String> secrets, Duration maxCredentialTtl,
                           Duration allocationDefaultLifetime, Duration allocationMaxLifetime,
                           Duration permissionLifetime, Duration channelLifetime, Duration nonceLifetime,
                           Optional<InetAddress> relayIpv4, Optional<InetAddress> relayIpv6,
                           Optional<InetAddress> externalIpv4, Optional<InetAddress> externalIpv6,
                           int relayPortMin, int relayPortMax, List<String> allowPeers, List<String> denyPeers,
                           Quotas quotas, double unauthenticatedRate, int unauthenticatedBurst,
                           boolean legacyChannelNumbers, int peerSockets, boolean allowLoopbackPeers) {

    public static final String DEFAULT_REALM = "presence";
    /** Credentials are short-lived: a call outliving them re-mints (the client restarts ICE). */
    public static final Duration DEFAULT_MAX_CREDENTIAL_TTL = Duration.ofHours(12);
    /** RFC 8656 §3.2: "the default lifetime of an allocation is 10 minutes". */
    public static final Duration DEFAULT_ALLOCATION_LIFETIME = Duration.ofMinutes(10);
    /** RFC 8656 §7.2 asks for a maximum of at least one hour; coturn's default is one hour too. */
    public static final Duration DEFAULT_MAX_ALLOCATION_LIFETIME = Duration.ofHours(1);
    /** RFC 8656 §9: permissions last 300 s. */
    public static final Duration PERMISSION_LIFETIME = Duration.ofSeconds(300);
    /** RFC 8656 §12: channel bindings last 600 s. */
    public static final Duration CHANNEL_LIFETIME = Duration.ofSeconds(600);
    /** Same as coturn's default stale-nonce time. */
    public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofMinutes(10);
    /** RFC 8656 §7.2 (citing RFC 6335 dynamic ports): 49152–65535. */
    public static final int DEFAULT_RELAY_PORT_MIN = 49152;
    public static final int DEFAULT_RELAY_PORT_MAX = 65535;
    /** A NAT with dozens of users still gets its challenges; a reflector gets 20 answers a second. */
    public static final double DEFAULT_UNAUTHENTICATED_RATE = 20;
    public static final int DEFAULT_UNAUTHENTICATED_BURST = 100;
    /** Deployed clients (coturn's uclient among them) still use RFC 5766's 0x4000–0x7FFF. */
    public static final boolean DEFAULT_LEGACY_CHANNEL_NUMBERS = true;
    /**
     * One descriptor each, beside the allocation's relay socket and its client's socket of the STUN port: 4,096
     * relaying allocations cost 12,288 descriptors; the ones beyond relay through the relay socket alone.
     */
    public static final int DEFAULT_PEER_SOCKETS = 4096;

    /**
     * Limits, each a count or bytes per second; 0 means unlimited where noted.
     *
     * @param allocationsPerParticipant allocations one (room, participant) may hold (a browser makes one per
     *                                  ICE candidate-gathering round; a few per peer connection)
     * @param allocationsPerRoom        allocations of one room
     * @param allocations               allocations of the whole server
     * @param permissionsPerAllocation  permissions (peer IPs) per allocation
     * @param channelsPerAllocation     channel bindings per allocation
     * @param bandwidthPerAllocation    bytes/s relayed per allocation, both directions; 0 = unlimited
     * @param bandwidthTotal            bytes/s relayed by the server; 0 = unlimited
     */
    public record Quotas(int allocationsPerParticipant, int allocationsPerRoom, int allocations,
                         int permissionsPerAllocation, int channelsPerAllocation,
                         long bandwidthPerAllocation, long bandwidthTotal) {
        public static final int DEFAULT_ALLOCATIONS_PER_PARTICIPANT = 16;
        public static final int DEFAULT_ALLOCATIONS_PER_ROOM = 1_000;
        public static final int DEFAULT_ALLOCATIONS = 10_000;
        public static final int DEFAULT_PERMISSIONS_PER_ALLOCATION = 64;
        /** Enough for any mesh call; ChannelBind beyond it gets 508. */
        public static final int DEFAULT_CHANNELS_PER_ALLOCATION = 64;
        /** 50 Mbit/s: several HD video streams. */
        public static final long DEFAULT_BANDWIDTH_PER_ALLOCATION = 6_250_000;

        public Quotas {
            positive("quotas.allocationsPerParticipant", allocationsPerParticipant);
            positive("quotas.allocationsPerRoom", allocationsPerRoom);
            positive("quotas.allocations", allocations);
            positive("quotas.permissionsPerAllocation", permissionsPerAllocation);
            positive("quotas.channelsPerAllocation", channelsPerAllocation);
            if (channelsPerAllocation > 0x1000) {
                throw new IllegalArgumentException("quotas.channelsPerAllocation: at most 4096 channels exist");
            }
            if (bandwidthPerAllocation < 0) {
                throw new IllegalArgumentException("quotas.bandwidthPerAllocation must be >= 0");
            }
            if (bandwidthTotal < 0) {
                throw new IllegalArgumentException("quotas.bandwidthTotal must be >= 0");
            }
        }

        public static Quotas defaults() {
            return new Quotas(DEFAULT_ALLOCATIONS_PER_PARTICIPANT, DEFAULT_ALLOCATIONS_PER_ROOM, DEFAULT_ALLOCATIONS,
                    DEFAULT_PERMISSIONS_PER_ALLOCATION, DEFAULT_CHANNELS_PER_ALLOCATION,
                    DEFAULT_BANDWIDTH_PER_ALLOCATION, 0);
        }
    }

    public TurnSettings {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(quotas, "quotas");
        if (realm == null || realm.isEmpty()) {
            throw new IllegalArgumentException("realm must not be empty");
        }
        secrets = List.copyOf(Objects.requireNonNull(secrets, "secrets"));
        for (String s : secrets) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("secrets: an empty secret");
            }
        }
        positive("maxCredentialTtl", maxCredentialTtl);
        positive("allocationDefaultLifetime", allocationDefaultLifetime);
        positive("allocationMaxLifetime", allocationMaxLifetime);
        positive("permissionLifetime", permissionLifetime);
        positive("channelLifetime", channelLifetime);
        positive("nonceLifetime", nonceLifetime);
        if (allocationMaxLifetime.compareTo(allocationDefaultLifetime) < 0) {
            throw new IllegalArgumentException("allocationMaxLifetime " + allocationMaxLifetime
                    + " is below allocationDefaultLifetime " + allocationDefaultLifetime);
        }
        family("relayIpv4", relayIpv4, Inet4Address.class);
        family("relayIpv6", relayIpv6, Inet6Address.class);
        family("externalIpv4", externalIpv4, Inet4Address.class);
        family("externalIpv6", externalIpv6, Inet6Address.class);
        if (relayPortMin < 1 || relayPortMax > 65535 || relayPortMin > relayPortMax) {
            throw new IllegalArgumentException("relay port range " + relayPortMin + "-" + relayPortMax
                    + " is not within 1-65535 and ordered");
        }
        allowPeers = List.copyOf(allowPeers);
        denyPeers = List.copyOf(denyPeers);
        for (String c : allowPeers) {
            parseCidr("allowPeers", c);
        }
        for (String c : denyPeers) {
            parseCidr("denyPeers", c);
        }
        if (unauthenticatedRate < 0 || unauthenticatedBurst < 1) {
            throw new IllegalArgumentException("unauthenticatedRate must be >= 0 and unauthenticatedBurst >= 1");
        }
        if (peerSockets < 0) {
            throw new IllegalArgumentException("peerSockets must be 0 (off) or more, not " + peerSockets);
        }
    }

    private static void parseCidr(String field, String entry) {
        try {
            Cidr.parse(entry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    private static void positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, not " + d);
        }
    }

    private static void positive(String field, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, not " + n);
        }
    }

    private static void family(String field, Optional<InetAddress> a, Class<? extends InetAddress> type) {
        Objects.requireNonNull(a, field);
        if (a.isPresent() && !type.isInstance(a.get())) {
            throw new IllegalArgumentException(field + " must be an " + type.getSimpleName() + ": " + a.get());
        }
    }

    /** Defaults everywhere; no secret (the server refuses to start without one). */
    public static TurnSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.listener = listener;
        b.realm = realm;
        b.secrets = secrets;
        b.maxCredentialTtl = maxCredentialTtl;
        b.allocationDefaultLifetime = allocationDefaultLifetime;
        b.allocationMaxLifetime = allocationMaxLifetime;
        b.permissionLifetime = permissionLifetime;
        b.channelLifetime = channelLifetime;
        b.nonceLifetime = nonceLifetime;
        b.relayIpv4 = relayIpv4;
        b.relayIpv6 = relayIpv6;
        b.externalIpv4 = externalIpv4;
        b.externalIpv6 = externalIpv6;
        b.relayPortMin = relayPortMin;
        b.relayPortMax = relayPortMax;
        b.allowPeers = allowPeers;
        b.denyPeers = denyPeers;
        b.quotas = quotas;
        b.unauthenticatedRate = unauthenticatedRate;
        b.unauthenticatedBurst = unauthenticatedBurst;
        b.legacyChannelNumbers = legacyChannelNumbers;
        b.peerSockets = peerSockets;
        b.allowLoopbackPeers = allowLoopbackPeers;
        return b;
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private StunSettings listener = StunSettings.defaults();
        private String realm = DEFAULT_REALM;
        private List<String> secrets = List.of();
        private Duration maxCredentialTtl = DEFAULT_MAX_CREDENTIAL_TTL;
        private Duration allocationDefaultLifetime = DEFAULT_ALLOCATION_LIFETIME;
        private Duration allocationMaxLifetime = DEFAULT_MAX_ALLOCATION_LIFETIME;
        private Duration permissionLifetime = PERMISSION_LIFETIME;
        private Duration channelLifetime = CHANNEL_LIFETIME;
        private Duration nonceLifetime = DEFAULT_NONCE_LIFETIME;
        private Optional<InetAddress> relayIpv4 = Optional.empty();
        private Optional<InetAddress> relayIpv6 = Optional.empty();
        private Optional<InetAddress> externalIpv4 = Optional.empty();
        private Optional<InetAddress> externalIpv6 = Optional.empty();
        private int relayPortMin = DEFAULT_RELAY_PORT_MIN;
        private int relayPortMax = DEFAULT_RELAY_PORT_MAX;
        private List<String> allowPeers = List.of();
        private List<String> denyPeers = List.of();
        private Quotas quotas = Quotas.defaults();
        private double unauthenticatedRate = DEFAULT_UNAUTHENTICATED_RATE;
        private int unauthenticatedBurst = DEFAULT_UNAUTHENTICATED_BURST;
        private boolean legacyChannelNumbers = DEFAULT_LEGACY_CHANNEL_NUMBERS;
        private int peerSockets = DEFAULT_PEER_SOCKETS;
        private boolean allowLoopbackPeers;

        private Builder() {
        }

        public Builder listener(StunSettings v) { listener = v; return this; }
        public Builder realm(String v) { realm = v; return this; }
        public Builder secrets(List<String> v) { secrets = v; return this; }
        public Builder maxCredentialTtl(Duration v) { maxCredentialTtl = v; return this; }
        public Builder allocationDefaultLifetime(Duration v) { allocationDefaultLifetime = v; return this; }
        public Builder allocationMaxLifetime(Duration v) { allocationMaxLifetime = v; return this; }
        public Builder permissionLifetime(Duration v) { permissionLifetime = v; return this; }
        public Builder channelLifetime(Duration v) { channelLifetime = v; return this; }
        public Builder nonceLifetime(Duration v) { nonceLifetime = v; return this; }
        public Builder relayIpv4(InetAddress v) { relayIpv4 = Optional.ofNullable(v); return this; }
        public Builder relayIpv6(InetAddress v) { relayIpv6 = Optional.ofNullable(v); return this; }
        public Builder externalIpv4(InetAddress v) { externalIpv4 = Optional.ofNullable(v); return this; }
        public Builder externalIpv6(InetAddress v) { externalIpv6 = Optional.ofNullable(v); return this; }
        public Builder relayPorts(int min, int max) { relayPortMin = min; relayPortMax = max; return this; }
        public Builder allowPeers(List<String> v) { allowPeers = v; return this; }
        public Builder denyPeers(List<String> v) { denyPeers = v; return this; }
        public Builder quotas(Quotas v) { quotas = v; return this; }
        public Builder unauthenticatedRate(double perSecond, int burst) {
            unauthenticatedRate = perSecond;
            unauthenticatedBurst = burst;
            return this;
        }

        public Builder legacyChannelNumbers(boolean v) { legacyChannelNumbers = v; return this; }
        public Builder peerSockets(int v) { peerSockets = v; return this; }
        public Builder allowLoopbackPeers(boolean v) { allowLoopbackPeers = v; return this; }

        public TurnSettings build() {
            return new TurnSettings(listener, realm, secrets, maxCredentialTtl, allocationDefaultLifetime,
                    allocationMaxLifetime, permissionLifetime, channelLifetime, nonceLifetime, relayIpv4, relayIpv6,
                    externalIpv4, externalIpv6, relayPortMin, relayPortMax, allowPeers, denyPeers, quotas,
                    unauthenticatedRate, unauthenticatedBurst, legacyChannelNumbers, peerSockets,
                    allowLoopbackPeers);
        }
    }
}
