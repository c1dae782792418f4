package io.presence.signaling.signin;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.runtime.TimeSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token case table: every accepted form (HS256 with the signing and a rotated key, RS256 through a PEM public
 * key, ES256 and EdDSA through a JWKS file) and every refusal with its reason code.
 */
class JwtAuthProviderTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final byte[] KEY_1 = "first-token-key-0123456789abcdefghijklmnop".getBytes(StandardCharsets.UTF_8);
    static final long NOW_FOR_REVOCATION = NOW;
    static final byte[] KEY_FOR_REVOCATION = KEY_1;
    private static final byte[] KEY_2 = "second-token-key-0123456789abcdefghijklmno".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static KeyPair rsa;
    static KeyPair ec;
    static KeyPair ed;
    static Path pemFile;
    static Path jwksFile;
    static JwtAuthProvider provider;

    static final TimeSource TIME = new TimeSource() {
        @Override
        public long millis() {
            return NOW;
        }

        @Override
        public long nanos() {
            return NOW * 1_000_000;
        }
    };

    @BeforeAll
    static void keys() throws Exception {
        rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGen.generateKeyPair();
        ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        pemFile = dir.resolve("rsa.pem");
        Files.writeString(pemFile, pem(rsa.getPublic().getEncoded()));
        byte[] spki = ed.getPublic().getEncoded();
        JWKSet set = new JWKSet(List.of(
                new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).keyID("ec-1").build(),
                new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32,
                        spki.length))).keyID("ed-1").build()));
        jwksFile = dir.resolve("keys.jwks");
        Files.writeString(jwksFile, set.toString(true));
        List<VerificationKey> publicKeys = new ArrayList<>(PublicKeyFiles.pem(pemFile));
        publicKeys.addAll(PublicKeyFiles.jwks(jwksFile));
        provider = new JwtAuthProvider(TokenKeys.of(List.of(KEY_1, KEY_2), publicKeys),
                new JwtSettings(Duration.ofSeconds(60), Duration.ofHours(24), "presence-test", "presence"), TIME);
    }

    static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** Valid claims at NOW; each case changes what it tests. */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").claim("name", "Alice").issuer("presence-test")
                .audience("presence").issueTime(new Date(NOW - 1000)).expirationTime(new Date(NOW + 3_600_000));
    }

    static String hs(byte[] key, JWTClaimsSet.Builder claims) throws Exception {
        return sign(JWSAlgorithm.HS256, new MACSigner(key), null, claims);
    }

    static String sign(JWSAlgorithm alg, JWSSigner signer, String kid, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(),
                claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String ed25519(JWTClaimsSet.Builder claims) throws Exception {
        String input = b64("{\"alg\":\"EdDSA\",\"kid\":\"ed-1\"}") + "." + b64(claims.build().toString());
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(ed.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static Principal accepted(String token) {
        AuthResult r = provider.check(token);
        return assertInstanceOf(AuthResult.Accepted.class, r, () -> r.toString()).principal();
    }

    static void refused(String reason, String token) {
        AuthResult r = provider.check(token);
        assertEquals(reason, assertInstanceOf(AuthResult.Rejected.class, r, () -> r.toString()).reason());
    }

    static String with(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return hs(KEY_1, change.apply(claims()));
    }

    @Test
    void hs256WithTheSigningKeyGivesThePrincipal() throws Exception {
        Principal p = accepted(hs(KEY_1, claims()));
        assertEquals("alice", p.userId());
        assertEquals("Alice", p.displayName());
        assertFalse(p.serverAdmin());
        assertNull(p.onlyRoom());
    }

    @Test
    void hs256WithTheRotatedSecondKeyIsAccepted() throws Exception {
        assertEquals("alice", accepted(hs(KEY_2, claims())).userId());
    }

    @Test
    void rs256ThroughThePemPublicKey() throws Exception {
        assertEquals("alice", accepted(sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), null, claims()))
                .userId());
    }

    @Test
    void es256ThroughTheJwksFile() throws Exception {
        assertEquals("alice", accepted(sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) ec.getPrivate()),
                "ec-1", claims())).userId());
    }

    @Test
    void edDsaThroughTheJwksFile() throws Exception {
        assertEquals("alice", accepted(ed25519(claims())).userId());
    }

    @Test
    void roomAndAdminClaimsReachThePrincipal() throws Exception {
        Principal p = accepted(with(c -> c.claim("room", "room-7").claim("admin", true)));
        assertEquals("room-7", p.onlyRoom());
        assertTrue(p.serverAdmin());
    }

    @Test
    void timeClaims() throws Exception {
        refused("expired", with(c -> c.expirationTime(new Date(NOW - 61_000))));
        accepted(with(c -> c.expirationTime(new Date(NOW - 59_000))));
        refused("missing_claim", with(c -> c.expirationTime(null)));
        refused("not_yet_valid", with(c -> c.notBeforeTime(new Date(NOW + 61_000))));
        accepted(with(c -> c.notBeforeTime(new Date(NOW + 59_000))));
        refused("not_yet_valid", with(c -> c.issueTime(new Date(NOW + 61_000))));
        refused("too_long_lived", with(c -> c.issueTime(new Date(NOW)).expirationTime(new Date(NOW + 86_401_000))));
        refused("too_long_lived", with(c -> c.issueTime(null).expirationTime(new Date(NOW + 90_000_000))));
        accepted(with(c -> c.issueTime(null).expirationTime(new Date(NOW + 86_000_000))));
    }

    @Test
    void unsignedAndUnsupportedForms() throws Exception {
        refused("unsupported_alg", new PlainJWT(claims().build()).serialize());
        String none = b64("{\"alg\":\"none\"}") + "." + b64(claims().build().toString()) + ".";
        refused("unsupported_alg", none);
        String hs512 = sign(JWSAlgorithm.HS512, new MACSigner(Arrays.copyOf(KEY_1, 64)), null, claims());
        refused("unsupported_alg", hs512);
        String crit = b64("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}") + "." + b64(claims().build().toString());
        refused("unsupported_alg", crit + ".c2ln");
        String jwe = b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}") + ".YQ.YQ.YQ.YQ";
        refused("unsupported_alg", jwe);
    }

    @Test
    void algorithmConfusionIsRefused() throws Exception {
        // An HS256 token whose "secret" is the RSA public key, as PEM text and as DER: the key is never an HMAC key.
        refused("bad_signature", hs(Files.readAllBytes(pemFile), claims()));
        refused("bad_signature", hs(rsa.getPublic().getEncoded(), claims()));
        // An RS256 token when only HMAC keys are configured.
        JwtAuthProvider hsOnly = new JwtAuthProvider(TokenKeys.of(List.of(KEY_1), List.of()), JwtSettings.DEFAULT, TIME);
        AuthResult r = hsOnly.check(sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), null,
                claims().issuer(null).audience((String) null)));
        assertEquals("unsupported_alg", assertInstanceOf(AuthResult.Rejected.class, r).reason());
        // An HS256 token when only public keys are configured.
        JwtAuthProvider publicOnly = new JwtAuthProvider(TokenKeys.of(List.of(), PublicKeyFiles.pem(pemFile)),
                JwtSettings.DEFAULT, TIME);
        r = publicOnly.check(hs(rsa.getPublic().getEncoded(), claims()));
        assertEquals("unsupported_alg", assertInstanceOf(AuthResult.Rejected.class, r).reason());
        // ES256 signed by a key that is not the configured one.
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        refused("bad_signature", sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) g.generateKeyPair()
                .getPrivate()), "ec-1", claims()));
    }

    @Test
    void wrongSignatureAndTamperedPayload() throws Exception {
        refused("bad_signature", hs("an-unknown-key-0123456789abcdefghijklmnop".getBytes(StandardCharsets.UTF_8),
                claims()));
        String[] parts = hs(KEY_1, claims()).split("\\.");
        String tampered = parts[0] + "." + b64(claims().subject("mallory").build().toString()) + "." + parts[2];
        refused("bad_signature", tampered);
        refused("malformed", parts[0] + "." + parts[1] + ".");
    }

    @Test
    void issuerAudienceAndIdentityClaims() throws Exception {
        refused("wrong_issuer", with(c -> c.issuer("someone-else")));
        refused("wrong_issuer", with(c -> c.issuer(null)));
        refused("wrong_audience", with(c -> c.audience("elsewhere")));
        refused("missing_claim", with(c -> c.subject(null)));
        refused("missing_claim", with(c -> c.claim("name", null)));
        refused("bad_claim", with(c -> c.subject("dev:Ann")));
        refused("bad_claim", with(c -> c.subject("x".repeat(65))));
        refused("bad_claim", with(c -> c.claim("name", "  ")));
        refused("bad_claim", with(c -> c.claim("name", "Al\u0000ice")));
        refused("bad_claim", with(c -> c.claim("room", "a room")));
        refused("bad_claim", with(c -> c.claim("admin", "true")));
        refused("malformed", with(c -> c.claim("exp", "tomorrow")));
    }

    @Test
    void garbage() {
        for (String junk : List.of("", "   ", "abc", "a.b", "a.b.c", "....", "eyJ.eyJ.eyJ", "\u00e9\u00e9.\u00e9.x")) {
            refused("malformed", junk);
        }
    }

    @Test
    void otherProvidersPassThroughAndTheClientSeesOnlyTheCategory() throws Exception {
        AuthResult other = provider.authenticate(new ClientMessage.Credentials("dev", "Ann", null, null))
                .toCompletableFuture().join();
        assertEquals("no_provider", assertInstanceOf(AuthResult.Rejected.class, other).reason());
        AuthResult expired = provider.authenticate(new ClientMessage.Credentials("jwt", null, null,
                with(c -> c.expirationTime(new Date(NOW - 3_600_000))))).toCompletableFuture().join();
        assertEquals("the token has expired", assertInstanceOf(AuthResult.Rejected.class, expired).message());
    }

    @Test
    void roleGrantsBecomeThePrincipalsRolesAndMalformedGrantsRefuseTheToken() throws Exception {
        Principal p = accepted(with(c -> c.claim("roles", Map.of("team-1", "admin", "team-2", "owner"))));
        assertEquals("admin", p.roleIn("team-1"));
        assertEquals("owner", p.roleIn("team-2"));
        assertNull(p.roleIn("team-3"));
        assertEquals(Map.of(), accepted(with(c -> c)).roomRoles());
        refused("bad_claim", with(c -> c.claim("roles", "owner")));
        refused("bad_claim", with(c -> c.claim("roles", Map.of("team-1", "guest"))));
        refused("bad_claim", with(c -> c.claim("roles", Map.of("team-1", 1))));
        refused("bad_claim", with(c -> c.claim("roles", Map.of("a room", "member"))));
        Map<String, Object> many = new java.util.HashMap<>();
        for (int i = 0; i <= TokenClaims.MAX_ROLES; i++) {
            many.put("room-" + i, "member");
        }
        refused("bad_claim", with(c -> c.claim("roles", many)));

        TokenMinter minter = new TokenMinter(TokenKeys.of(List.of(KEY_1), List.of()), new JwtSettings(
                Duration.ofSeconds(60), Duration.ofHours(24), "presence-test", "presence"), TIME);
        assertEquals("member", accepted(minter.mint("bob", "Bob", Duration.ofHours(1), null, false,
                Map.of("team-1", "member"))).roleIn("team-1"));
        assertThrows(TokenMinter.RefusedException.class, () -> minter.mint("bob", "Bob", Duration.ofHours(1), null,
                false, Map.of("team-1", "guest")));
    }

    @Test
    void mintedTokensAreAcceptedAndBadRequestsAreNotMinted() throws Exception {
        TokenKeys keys = TokenKeys.of(List.of(KEY_2, KEY_1), List.of());
        JwtSettings settings = new JwtSettings(Duration.ofSeconds(60), Duration.ofHours(24), "presence-test",
                "presence");
        TokenMinter minter = new TokenMinter(keys, settings, TIME);
        Principal p = accepted(minter.mint("bob", " Bob ", Duration.ofHours(1), "room-1", true));
        assertEquals("Bob", p.displayName());
        assertEquals("room-1", p.onlyRoom());
        assertTrue(p.serverAdmin());
        assertThrows(TokenMinter.RefusedException.class, () -> minter.mint("bob", "Bob", Duration.ofHours(25), null,
                false));
        assertThrows(TokenMinter.RefusedException.class, () -> minter.mint("b:ob", "Bob", Duration.ofHours(1), null,
                false));
        assertThrows(TokenMinter.RefusedException.class, () -> minter.mint("bob", "", Duration.ofHours(1), null,
                false));
        assertThrows(TokenKeyException.class, () -> TokenKeys.of(List.of(new byte[31]), List.of()));
        assertThrows(TokenKeyException.class, () -> new TokenMinter(TokenKeys.of(List.of(), PublicKeyFiles.pem(pemFile)),
                settings, TIME));
    }
}
