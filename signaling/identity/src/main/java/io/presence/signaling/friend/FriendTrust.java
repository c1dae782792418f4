package io.presence.signaling.friend;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * The certificates Friend sign-in trusts: the JDK's default CAs, plus those of an optional PEM file for a FriendCore
 * behind a private CA. The extra CAs are added to the default set, never a replacement, and the host name check stays
 * the HTTP client's (the certificate must name the host of {@code auth.friend.url}).
 */
public final class FriendTrust {

    private FriendTrust() {
    }

    /** The default context when {@code caFile} is null. */
    public static SSLContext context(Path caFile) throws FriendTrustException {
        try {
            if (caFile == null) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : defaultIssuers()) {
                store.setCertificateEntry("default-" + n++, ca);
            }
            int own = 0;
            for (Certificate ca : read(caFile)) {
                store.setCertificateEntry("friend-ca-" + own++, ca);
            }
            if (own == 0) {
                throw new FriendTrustException(caFile + ": no CERTIFICATE block");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new FriendTrustException("cannot build the trust for FriendCore"
                    + (caFile == null ? "" : " from " + caFile) + ": " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> read(Path caFile) throws FriendTrustException {
        try (InputStream in = Files.newInputStream(caFile)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new FriendTrustException("cannot read " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new FriendTrustException(caFile + ": not a PEM file of certificates (" + e.getMessage() + ")", e);
        }
    }

    private static X509Certificate[] defaultIssuers() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }
}
