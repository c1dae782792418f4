package io.presence.signaling.app.doctor;

import io.presence.signaling.app.config.PublicHost;
import io.presence.turn.auth.TurnCredentials;
import io.presence.turn.auth.RestCredentials;
import org.ice4j.security.LongTermCredential;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The operator's self-test against a running appliance, as a client on the network would meet it: the public
 * address, STUN over UDP, TURN allocations over UDP, TCP and TLS with credentials minted from the server's own
 * secret, the TLS certificate's lifetime, and an ICE connectivity check between two relay-only agents through
 * the relay. Each step yields a {@link Finding}; nothing is printed here.
 */
public final class Doctor {

    /** Credentials live this long: long enough for the run, short enough to be worthless after it. */
    static final Duration CREDENTIAL_TTL = Duration.ofSeconds(60);
    /** A certificate closer than this to its end is a warning. */
    static final Duration CERTIFICATE_WARNING = Duration.ofDays(14);
    static final int DATAGRAMS = 3;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final DoctorTarget target;
    private final Duration timeout;
    private final Clock clock;

    /** @param timeout bounds each connection and the ICE check */
    public Doctor(DoctorTarget target, Duration timeout, Clock clock) {
        this.target = target;
        this.timeout = timeout;
        this.clock = clock;
    }

    public List<Finding> run() throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        findings.add(publicHost());
        if (!target.externalRelayUrls().isEmpty()) {
            findings.add(Finding.warn("relay", "live.externalTurnUrls is set: calls use " + target.externalRelayUrls()
                    + ", not this appliance's relay, which is what the steps below test"));
        }
        InetSocketAddress server = resolve(target.host(), target.port());
        if (server == null) {
            findings.add(Finding.fail("address", target.host() + " does not resolve"));
            return findings;
        }
        if (target.port() == 0) {
            findings.add(Finding.fail("address", "stun.port is 0 (the kernel chooses it at start): pass --port"));
            return findings;
        }
        findings.add(stun(server));
        Finding certificate = certificate();
        SSLContext tls = null;
        if (target.tlsCertificate() != null) {
            findings.add(certificate);
            tls = trusting(target);
        }
        if (target.secret().isEmpty()) {
            findings.add(Finding.fail("turn", "no TURN secret to mint credentials with: turn.secrets is empty and "
                    + target.secretSource() + " does not exist (has presence serve run with this data directory?)"));
            return findings;
        }
        String room = "doctor-" + HexFormat.of().formatHex(randomBytes(6));
        RestCredentials minter = new RestCredentials(List.of(target.secret().get()), target.realm(),
                target.maxCredentialTtl(), clock);
        ProbeAgent udp = turn(findings, server, RelayTransport.UDP, minter, room, "a", null);
        try {
            if (target.tcpEnabled()) {
                close(turn(findings, server, RelayTransport.TCP, minter, room, "tcp", null));
            } else {
                findings.add(Finding.skip("turn/tcp", "no TCP listener: stun.tcpEnabled is false"));
            }
            if (target.tlsCertificate() == null) {
                findings.add(Finding.skip("turn/tls", "no TLS listener: stun.tlsCertificate is unset"));
            } else if (tls == null) {
                findings.add(Finding.fail("turn/tls", "cannot read stun.tlsCertificate " + target.tlsCertificate()
                        + " to trust it"));
            } else {
                close(turn(findings, new InetSocketAddress(server.getAddress(), target.tlsPort()), RelayTransport.TLS,
                        minter, room, "tls", tls));
            }
            findings.add(ice(server, udp, minter, room));
        } finally {
            close(udp);
        }
        return findings;
    }

    Finding publicHost() {
        String step = "publicHost";
        String configured = target.publicHost();
        if (configured.isEmpty()) {
            PublicHost told = target.told();
            return Finding.warn(step, "server.publicHost is unset: browsers on other machines will be told "
                    + told.host() + " (" + told.origin().text() + ")" + told.warning().map(w -> "; " + w)
                    .orElse("; set it so that calls do not depend on what is detected at start"));
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(configured);
        } catch (UnknownHostException e) {
            return Finding.fail(step, "server.publicHost " + configured + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isThisMachine(a)) {
                return Finding.ok(step, "server.publicHost " + configured + " is this machine (" + a.getHostAddress()
                        + ")");
            }
        }
        return Finding.warn(step, "server.publicHost resolves to " + addresses[0].getHostAddress()
                + " which is not an address of this machine (fine behind NAT if " + addresses[0].getHostAddress()
                + " forwards to it)");
    }

    static boolean isThisMachine(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private Finding stun(InetSocketAddress server) {
        String where = "STUN " + endpoint(server, RelayTransport.UDP);
        try (ProbeAgent agent = ProbeAgent.stun(server, timeout)) {
            Probe p = agent.probe();
            Probe.Failure failure = p.failure(false);
            if (failure == null) {
                String seen = p.mapped().getAddress().getHostAddress();
                String local = localRoute(server);
                String nat = local != null && !local.equals(seen)
                        ? " (this machine sends from " + local + ": there is a NAT on the way)" : "";
                return Finding.ok("stun/udp", where + ": answered in " + p.elapsed().toMillis()
                        + " ms; this machine is seen as " + seen + nat);
            }
            return Finding.fail("stun/udp", where + ": " + failureText(p, failure, RelayTransport.UDP, server));
        }
    }

    private ProbeAgent turn(List<Finding> findings, InetSocketAddress server, RelayTransport transport,
                            RestCredentials minter, String room, String participant, SSLContext tls) {
        String step = "turn/" + transport.label();
        String where = "TURN " + endpoint(server, transport);
        TurnCredentials c = minter.mint(room, participant, CREDENTIAL_TTL);
        ProbeAgent agent = ProbeAgent.turn(server, transport, new LongTermCredential(c.username(), c.password()), tls,
                timeout);
        Probe p = agent.probe();
        Probe.Failure failure = p.failure(true);
        if (failure == null) {
            findings.add(Finding.ok(step, where + ": relayed address " + hostPort(p.relayed()) + " (allocated in "
                    + p.elapsed().toMillis() + " ms)"));
            return agent;
        }
        findings.add(Finding.fail(step, where + ": " + failureText(p, failure, transport, server)));
        agent.close();
        return null;
    }

    private String failureText(Probe p, Probe.Failure failure, RelayTransport transport, InetSocketAddress server) {
        String port = server.getPort() + "/" + (transport == RelayTransport.UDP ? "udp" : "tcp");
        return switch (failure) {
            case NO_ANSWER -> "no answer in " + Diagnosis.seconds(p.elapsed()) + " s — is "
                    + (transport == RelayTransport.UDP ? "UDP " : "TCP ") + server.getPort()
                    + " open in the firewall, and is presence serve running?";
            case UNREACHABLE -> p.unreachableReason() + (transport == RelayTransport.TLS
                    && p.unreachableReason().startsWith("TLS")
                    ? " — does the listener serve stun.tlsCertificate?"
                    : " — is " + port + " open in the firewall, and is presence serve running?");
            case ERROR_RESPONSE -> errorText(p);
            case NO_CANDIDATE -> "the server answered but gave no usable address";
        };
    }

    private String errorText(Probe p) {
        int code = p.errorCode();
        String reason = p.errorReason().isEmpty() ? "" : " " + p.errorReason();
        return switch (code) {
            case 401 -> "401 — the secret or realm differs from the server's"
                    + (!p.serverRealm().isEmpty() && !p.serverRealm().equals(target.realm())
                    ? " (the server's realm is \"" + p.serverRealm() + "\", the configuration says \""
                    + target.realm() + "\")" : " (credentials minted from " + target.secretSource() + ")");
            case 403 -> "403" + reason + " — the relay refused this client (turn.denyPeers or a revoked room?)";
            case 486 -> "486" + reason + " — an allocation quota is reached (turn.allocationsPerParticipant, "
                    + "turn.allocationsPerRoom, turn.maxAllocations)";
            case 508 -> "508" + reason + " — no relay port free in " + target.relayPortMin() + "-"
                    + target.relayPortMax();
            default -> code + reason;
        };
    }

    Finding certificate() {
        String step = "certificate";
        if (target.tlsCertificate() == null) {
            return Finding.skip(step, "no TLS certificate configured");
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) chain(target).get(0);
        } catch (IOException | GeneralSecurityException | IndexOutOfBoundsException e) {
            return Finding.fail(step, "cannot read stun.tlsCertificate " + target.tlsCertificate() + ": "
                    + (e.getMessage() == null ? "no certificate in it" : e.getMessage()));
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        Duration left = Duration.between(clock.instant(), notAfter);
        if (left.isNegative()) {
            return Finding.fail(step, "TLS certificate expired on " + DATE.format(notAfter)
                    + " — renew it (the server reloads the file without a restart)");
        }
        String publicHost = target.publicHost();
        if (!publicHost.isEmpty() && !CertificateNames.covers(cert, publicHost)) {
            return Finding.warn(step, "TLS certificate is for " + CertificateNames.of(cert) + ", not server.publicHost "
                    + publicHost + ": browsers will refuse turns: on it (valid until " + DATE.format(notAfter) + ")");
        }
        if (left.compareTo(CERTIFICATE_WARNING) < 0) {
            return Finding.warn(step, "TLS certificate expires in " + left.toDays() + " days ("
                    + DATE.format(notAfter) + ")");
        }
        return Finding.ok(step, "TLS certificate valid until " + DATE.format(notAfter) + " (" + left.toDays()
                + " days)");
    }

    private Finding ice(InetSocketAddress server, ProbeAgent first, RestCredentials minter, String room)
            throws InterruptedException {
        String step = "ice";
        if (first == null) {
            return Finding.skip(step, "needs a TURN allocation over UDP");
        }
        TurnCredentials c = minter.mint(room, "b", CREDENTIAL_TTL);
        try (ProbeAgent second = ProbeAgent.turn(server, RelayTransport.UDP,
                new LongTermCredential(c.username(), c.password()), null, timeout)) {
            if (second.relayedCandidate() == null) {
                return Finding.fail(step, "the second TURN allocation failed: "
                        + failureText(second.probe(), second.probe().failure(true), RelayTransport.UDP, server));
            }
            IceCheck.Result r = IceCheck.run(first, second, DATAGRAMS, timeout.multipliedBy(2));
            String pair = hostPort(first.relayedCandidate().getTransportAddress()) + " ↔ "
                    + hostPort(second.relayedCandidate().getTransportAddress());
            if (!r.connected()) {
                return Finding.fail(step, "relay range " + target.relayPortMin() + "-" + target.relayPortMax()
                        + "/udp blocked: the connectivity check through the relay failed (" + pair + ", ICE "
                        + r.state() + ")");
            }
            if (!r.passed()) {
                return Finding.fail(step, "ICE connected through the relay (" + pair + ") but only "
                        + r.receivedByControlled() + "/" + r.sentEachWay() + " and " + r.receivedByControlling() + "/"
                        + r.sentEachWay() + " datagrams arrived — is the relay range " + target.relayPortMin() + "-"
                        + target.relayPortMax() + "/udp open?");
            }
            return Finding.ok(step, "two relay-only ICE agents connected through the relay (" + pair + ") and "
                    + "exchanged " + r.sentEachWay() + " datagrams each way in " + r.elapsed().toMillis() + " ms");
        }
    }

    private static void close(ProbeAgent agent) {
        if (agent != null) {
            agent.close();
        }
    }

    private static String localRoute(InetSocketAddress server) {
        try {
            return ProbeAgent.routeTo(server).getHostAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private static InetSocketAddress resolve(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String endpoint(InetSocketAddress server, RelayTransport transport) {
        return hostPort(server) + "/" + transport.label();
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static List<? extends Certificate> chain(DoctorTarget target) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(target.tlsCertificate())) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            return List.copyOf(certs);
        }
    }

    /**
     * Trusts exactly the configured certificate chain: the handshake then shows that the listener serves the file
     * the configuration names (a public CA's trust would not catch a listener serving a stale certificate).
     */
    private static SSLContext trusting(DoctorTarget target) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : chain(target)) {
                store.setCertificateEntry("configured-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            return null;
        }
    }
}
