package io.presence.signaling.app.doctor;

import io.presence.signaling.app.config.ConfigSchema;
import io.presence.signaling.app.config.HostAddresses;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.app.config.PublicHost;
import io.presence.signaling.app.config.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the doctor tests, from the same configuration and data directory {@code presence serve} reads: the
 * address clients are told to reach, the STUN/TURN ports, the TLS certificate, and the TURN secret (configured,
 * or the one {@code serve} generated in the data directory) to mint credentials with.
 *
 * @param publicHost {@code server.publicHost}, empty when unset
 * @param told the host browsers are told and the rule that chose it
 * @param host the host probed: {@code --host}, else the one browsers are told
 * @param tcpEnabled {@code stun.tcpEnabled}: false when the STUN port serves UDP only
 * @param tlsPort 0 when no certificate is configured
 * @param secret empty when none is configured and the data directory holds none
 * @param externalRelayUrls {@code live.externalTurnUrls}: when set, calls use that relay rather than this one
 */
public record DoctorTarget(String publicHost, PublicHost told, String host, int port, boolean tcpEnabled, int tlsPort,
                           Path tlsCertificate,
                           String realm, Optional<String> secret, String secretSource, Duration maxCredentialTtl,
                           int relayPortMin, int relayPortMax, List<String> externalRelayUrls) {

    /** The file {@code serve} keeps its generated TURN secret in, under the data directory. */
    static final String GENERATED_SECRET = "turn-secret";

    /**
     * @param hostOverride {@code --host}, or null
     * @param portOverride {@code --port}, or null
     * @param tlsPortOverride {@code --tls-port}, or null
     */
    public static DoctorTarget of(PresenceConfig config, String hostOverride, Integer portOverride,
                                  Integer tlsPortOverride) {
        String publicHost = config.server().publicHost();
        PublicHost told = PublicHost.choose(config, HostAddresses.system());
        String host = hostOverride != null && !hostOverride.isBlank() ? hostOverride : told.host();
        int port = portOverride != null ? portOverride : config.stun().bind().getPort();
        String certificate = config.stun().tlsCertificate();
        int tlsPort = certificate.isEmpty() ? 0 : tlsPortOverride != null ? tlsPortOverride : config.stun().tlsPort();
        Optional<String> secret;
        String source;
        List<Secret> configured = config.turn().secrets();
        if (!configured.isEmpty()) {
            secret = Optional.of(configured.get(0).reveal());
            source = "turn.secrets";
        } else {
            Path file = config.server().dataDir().toAbsolutePath().normalize().resolve("secrets")
                    .resolve(GENERATED_SECRET);
            secret = readSecret(file);
            source = file.toString();
        }
        return new DoctorTarget(publicHost, told, host, port, config.values().get(ConfigSchema.STUN_TCP_ENABLED), tlsPort,
                certificate.isEmpty() ? null : Path.of(certificate),
                config.turn().realm(), secret, source, config.values().get(ConfigSchema.TURN_MAX_CREDENTIAL_TTL),
                config.values().get(ConfigSchema.TURN_RELAY_PORT_MIN),
                config.values().get(ConfigSchema.TURN_RELAY_PORT_MAX),
                config.values().get(ConfigSchema.LIVE_EXTERNAL_TURN_URLS));
    }

    /** Read only: the doctor never creates a secret the server does not have. */
    private static Optional<String> readSecret(Path file) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        // The secret stays out of every rendering.
        return "DoctorTarget[host=" + host + ", port=" + port + ", tlsPort=" + tlsPort + "]";
    }
}
