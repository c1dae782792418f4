package io.presence.signaling.app.doctor;

import javax.security.auth.x500.X500Principal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The names a certificate is valid for, as a browser checks them (RFC 6125): the subjectAltName DNS names (a
 * wildcard covers one leftmost label) and IP addresses; the subject's CN only when there is no subjectAltName.
 */
final class CertificateNames {

    private static final int DNS = 2;
    private static final int IP = 7;

    private CertificateNames() {
    }

    static boolean covers(X509Certificate cert, String host) {
        String wanted = host.toLowerCase(Locale.ROOT);
        InetAddress literal = literal(wanted);
        for (Object[] entry : alternativeNames(cert)) {
            int type = (Integer) entry[0];
            String value = String.valueOf(entry[1]).toLowerCase(Locale.ROOT);
            if (type == IP && literal != null && literal.equals(literal(value))) {
                return true;
            }
            if (type == DNS && literal == null && dnsMatches(value, wanted)) {
                return true;
            }
        }
        if (alternativeNames(cert).isEmpty()) {
            String cn = commonName(cert);
            return cn != null && cn.equalsIgnoreCase(host);
        }
        return false;
    }

    /** The names, for a message. */
    static String of(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        for (Object[] entry : alternativeNames(cert)) {
            int type = (Integer) entry[0];
            if (type == DNS || type == IP) {
                names.add(String.valueOf(entry[1]));
            }
        }
        if (names.isEmpty()) {
            String cn = commonName(cert);
            return cn == null ? "no name" : cn;
        }
        return String.join(", ", names);
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1));
        }
        return pattern.equals(host);
    }

    private static Collection<Object[]> alternativeNames(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            List<Object[]> out = new ArrayList<>();
            if (names != null) {
                for (List<?> n : names) {
                    out.add(n.toArray());
                }
            }
            return out;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate cert) {
        for (String part : cert.getSubjectX500Principal().getName(X500Principal.RFC2253).split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return null;
    }

    /** The address an IP literal names, or null for a host name (no lookup is made). */
    private static InetAddress literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean looksLikeIp = t.indexOf(':') >= 0 || t.matches("[0-9.]+");
        if (!looksLikeIp) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
