package io.presence.net;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads the private key out of a PEM file in the forms people have: PKCS#8 ({@code BEGIN PRIVATE KEY}, what
 * {@code openssl genpkey} writes), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, {@code openssl genrsa -traditional},
 * older Let's Encrypt clients) and SEC1 ({@code BEGIN EC PRIVATE KEY}, {@code openssl ecparam -genkey}, with or
 * without its {@code EC PARAMETERS} block). The JDK reads only PKCS#8, so PKCS#1 and SEC1 keys are wrapped into
 * a PKCS#8 PrivateKeyInfo (RFC 5208) first: the algorithm identifier in front of the unchanged key structure,
 * which is all that separates the forms.
 */
final class PrivateKeyPem {

    static final String ALLOWED = "a PEM private key: BEGIN PRIVATE KEY (PKCS#8), BEGIN RSA PRIVATE KEY (PKCS#1) "
            + "or BEGIN EC PRIVATE KEY (SEC1), not encrypted";
    static final String ENCRYPTED = "encrypted private keys are not supported; decrypt with openssl pkey "
            + "(openssl pkey -in key.pem -out key-plain.pem)";

    private static final Set<String> KEY_TYPES = Set.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");

    /** A key that cannot be used; the message says why in an operator's words. */
    static final class Unreadable extends Exception {
        Unreadable(String problem) {
            super(problem, null, false, false);
        }
    }

    private PrivateKeyPem() { }

    static PrivateKey read(List<PemBlock> blocks) throws Unreadable {
        List<PemBlock> keys = new ArrayList<>();
        byte[] ecParameters = null;
        for (PemBlock b : blocks) {
            if (b.type().equals("ENCRYPTED PRIVATE KEY") || (KEY_TYPES.contains(b.type()) && b.encryptedHeader())) {
                throw new Unreadable(ENCRYPTED);
            }
            if (KEY_TYPES.contains(b.type())) {
                keys.add(b);
            } else if (b.type().equals("EC PARAMETERS")) {
                ecParameters = b.der();
            } else if (b.type().endsWith("PRIVATE KEY")) {
                throw new Unreadable("BEGIN " + b.type() + " is not a supported key format");
            }
        }
        if (keys.isEmpty()) {
            throw new Unreadable("no private key found");
        }
        if (keys.size() > 1) {
            throw new Unreadable("more than one private key in the file");
        }
        PemBlock key = keys.get(0);
        try {
            return switch (key.type()) {
                case "RSA PRIVATE KEY" -> pkcs8(wrapRsa(key.der()));
                case "EC PRIVATE KEY" -> pkcs8(wrapEc(key.der(), ecParameters));
                default -> pkcs8(key.der());
            };
        } catch (Der.Malformed e) {
            throw new Unreadable("the " + key.type() + " block is not a key structure (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey pkcs8(byte[] der) throws Unreadable, Der.Malformed {
        List<Der.Element> info = Der.parse(der).children();
        if (info.size() < 3 || info.get(1).tag() != Der.SEQUENCE) {
            throw new Unreadable("the private key is not a PKCS#8 PrivateKeyInfo");
        }
        List<Der.Element> algorithm = info.get(1).children();
        if (algorithm.isEmpty() || algorithm.get(0).tag() != Der.OID) {
            throw new Unreadable("the private key names no algorithm");
        }
        String name = algorithmName(algorithm.get(0).value());
        try {
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new Unreadable("the " + name + " private key cannot be read (" + e.getMessage() + ")");
        }
    }

    private static String algorithmName(byte[] oid) throws Unreadable {
        return switch (HexFormat.of().formatHex(oid)) {
            case "2a864886f70d010101" -> "RSA";
            case "2a864886f70d01010a" -> "RSASSA-PSS";
            case "2a8648ce3d0201" -> "EC";
            case "2a8648ce380401" -> "DSA";
            case "2b6570" -> "Ed25519";
            case "2b6571" -> "Ed448";
            default -> throw new Unreadable("unsupported private key algorithm (OID bytes "
                    + HexFormat.of().formatHex(oid) + ")");
        };
    }

    /** PKCS#1 RSAPrivateKey → PrivateKeyInfo { 0, { rsaEncryption, NULL }, OCTET STRING RSAPrivateKey }. */
    static byte[] wrapRsa(byte[] pkcs1) throws Der.Malformed {
        Der.parse(pkcs1); // one well-formed structure, or a clear error instead of the JDK's
        return Der.sequence(Der.encode(Der.INTEGER, new byte[]{0}),
                Der.sequence(Der.encode(Der.OID, Der.RSA_ENCRYPTION), Der.encode(Der.NULL, new byte[0])),
                Der.encode(Der.OCTET_STRING, pkcs1));
    }

    /**
     * SEC1 ECPrivateKey → PrivateKeyInfo { 0, { id-ecPublicKey, curve }, OCTET STRING ECPrivateKey }. The curve
     * comes from the key's own [0] parameters, else from the file's EC PARAMETERS block.
     */
    static byte[] wrapEc(byte[] sec1, byte[] ecParametersBlock) throws Der.Malformed, Unreadable {
        byte[] curve = null;
        for (Der.Element e : Der.parse(sec1).children()) {
            if (e.tag() == Der.CONTEXT_0) {
                List<Der.Element> inner = e.children();
                curve = inner.isEmpty() ? null : namedCurve(inner.get(0));
            }
        }
        if (curve == null && ecParametersBlock != null) {
            curve = namedCurve(Der.parse(ecParametersBlock));
        }
        if (curve == null) {
            throw new Unreadable("the EC private key does not name its curve (write it with openssl ec, or keep the "
                    + "EC PARAMETERS block)");
        }
        return Der.sequence(Der.encode(Der.INTEGER, new byte[]{0}),
                Der.sequence(Der.encode(Der.OID, Der.EC_PUBLIC_KEY), Der.encode(Der.OID, curve)),
                Der.encode(Der.OCTET_STRING, sec1));
    }

    private static byte[] namedCurve(Der.Element parameters) throws Unreadable {
        if (parameters.tag() != Der.OID) {
            throw new Unreadable("explicit EC curve parameters are not supported; use a named curve "
                    + "(openssl ecparam -name prime256v1 -genkey)");
        }
        return Arrays.copyOf(parameters.value(), parameters.value().length);
    }
}
