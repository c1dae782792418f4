package io.presence.signaling.client;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * TLS for a connection ({@code wss://}, or TLS over the raw TCP transport).
 *
 * @param context        trust (and, if wanted, client keys) as a JDK context
 * @param verifyHostname check that the server's certificate names the host connected to; on unless a caller
 *                       turns it off (a test server's self-signed certificate, an address without a name)
 */
public record ClientTls(SSLContext context, boolean verifyHostname) {

    public ClientTls {
        Objects.requireNonNull(context, "context");
    }

    /** The JDK's default trust store, with hostname verification. */
    public static ClientTls system() {
        try {
            return new ClientTls(SSLContext.getDefault(), true);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no default TLS context", e);
        }
    }

    /** The given context's trust, with hostname verification. */
    public static ClientTls trusting(SSLContext context) {
        return new ClientTls(context, true);
    }

    public ClientTls withoutHostnameVerification() {
        return new ClientTls(context, false);
    }
}
