package io.presence.signaling.app.doctor;

import io.presence.signaling.app.RunningAppliance;
import io.presence.signaling.app.config.PublicHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The steps that need no server: the public address and the certificate's lifetime. */
class DoctorStepsTest {

    private static DoctorTarget target(String publicHost, Path certificate) {
        PublicHost told = publicHost.isEmpty()
                ? new PublicHost("127.0.0.1", PublicHost.Origin.LOOPBACK, PublicHost.Reach.THIS_MACHINE)
                : new PublicHost(publicHost, PublicHost.Origin.CONFIGURED, PublicHost.reach(publicHost));
        return new DoctorTarget(publicHost, told, told.host(), 3478, true,
                certificate == null ? 0 : 5349, certificate, "presence", Optional.empty(), "turn.secrets",
                Duration.ofHours(1), 49152, 65535, java.util.List.of());
    }

    private static Finding publicHost(String configured) {
        return new Doctor(target(configured, null), Duration.ofSeconds(1), Clock.systemUTC()).publicHost();
    }

    @Test
    void anUnsetPublicHostIsAWarningNamingWhatBrowsersAreTold() {
        Finding f = publicHost("");
        assertEquals(Finding.Status.WARN, f.status());
        assertTrue(f.message().startsWith("server.publicHost is unset: browsers on other machines will be told "
                + "127.0.0.1 (detected: this machine has no address but loopback); remote browsers cannot reach"),
                f.message());
    }

    @Test
    void aPublicHostOfThisMachineIsOk() {
        assertEquals(Finding.Status.OK, publicHost("127.0.0.1").status());
    }

    @Test
    void aPublicHostElsewhereIsAWarningAboutNat() {
        Finding f = publicHost("203.0.113.7");
        assertEquals(Finding.Status.WARN, f.status());
        assertEquals("server.publicHost resolves to 203.0.113.7 which is not an address of this machine "
                + "(fine behind NAT if 203.0.113.7 forwards to it)", f.message());
    }

    @Test
    void theCertificatesRemainingLifetimeDecides(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        RunningAppliance.writeCertificate(dir, 30, cert, dir.resolve("key.pem"));
        Instant notAfter;
        try (InputStream in = Files.newInputStream(cert)) {
            notAfter = ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getNotAfter().toInstant();
        }
        DoctorTarget t = target("127.0.0.1", cert);

        Finding fine = new Doctor(t, Duration.ofSeconds(1), at(notAfter.minus(Duration.ofDays(20)))).certificate();
        Finding soon = new Doctor(t, Duration.ofSeconds(1), at(notAfter.minus(Duration.ofDays(5).plusHours(1))))
                .certificate();
        Finding expired = new Doctor(t, Duration.ofSeconds(1), at(notAfter.plusSeconds(1))).certificate();

        assertEquals(Finding.Status.OK, fine.status(), fine.message());
        assertEquals(Finding.Status.WARN, soon.status());
        assertTrue(soon.message().startsWith("TLS certificate expires in 5 days"), soon.message());
        assertEquals(Finding.Status.FAIL, expired.status());
        assertTrue(expired.message().startsWith("TLS certificate expired on "), expired.message());
    }

    @Test
    void aCertificateThatDoesNotNameThePublicHostIsAWarning(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        RunningAppliance.writeCertificate(dir, 30, cert, dir.resolve("key.pem"));

        Finding elsewhere = new Doctor(target("calls.example.org", cert), Duration.ofSeconds(1), Clock.systemUTC())
                .certificate();
        Finding named = new Doctor(target("127.0.0.1", cert), Duration.ofSeconds(1), Clock.systemUTC()).certificate();

        assertEquals(Finding.Status.WARN, elsewhere.status());
        assertTrue(elsewhere.message().startsWith("TLS certificate is for 127.0.0.1, not server.publicHost "
                + "calls.example.org: browsers will refuse turns: on it"), elsewhere.message());
        assertEquals(Finding.Status.OK, named.status(), named.message());
    }

    @Test
    void anUnreadableCertificateFails(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Finding f = new Doctor(target("127.0.0.1", garbage), Duration.ofSeconds(1), Clock.systemUTC()).certificate();
        assertEquals(Finding.Status.FAIL, f.status());
        assertTrue(f.message().startsWith("cannot read stun.tlsCertificate "), f.message());
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
