package io.presence.signaling.friend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.runtime.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Friend sign-in against a local HTTPS server that answers like FriendCore, with certificates made for the test: the
 * answers FriendCore gives (ok, fail, nonsense, another login, an admin), a FriendCore that is slow, down or behind a
 * certificate nobody vouched for, and the cache that spares it repeated questions.
 */
class FriendAuthProviderTest {
    private static final String PASSWORD = "changeit";
    private static final Duration TIMEOUT = Duration.ofMillis(700);

    @TempDir
    static Path dir;
    /** Self-signed for 127.0.0.1: its own CA, which only the caFile makes trusted. */
    static Path localCert;
    static Path localCa;
    /** Self-signed for another host name: trusted through its caFile, refused for naming the wrong host. */
    static Path otherCert;
    static Path otherCa;

    static final AtomicInteger calls = new AtomicInteger();
    static final List<Map<String, String>> forms = new ArrayList<>();
    static HttpsServer server;
    static HttpsServer wrongHost;

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final TimeSource time = new TimeSource() {
        @Override
        public long millis() {
            return nanos.get() / 1_000_000;
        }

        @Override
        public long nanos() {
            return nanos.get();
        }
    };
    FriendAuthProvider provider;

    @BeforeAll
    static void certificatesAndServer() throws Exception {
        localCert = keyPair("local", "ip:127.0.0.1,dns:localhost");
        localCa = export("local");
        otherCert = keyPair("other", "dns:elsewhere.example");
        otherCa = export("other");
        server = start(localCert);
        wrongHost = start(otherCert);
    }

    @AfterAll
    static void stopServers() {
        server.stop(0);
        wrongHost.stop(0);
    }

    @AfterEach
    void closeProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void aLiveSessionSignsInAsTheFriendUser() {
        Principal p = accepted(provider(localCa).authenticate(friend("session-ann", "ann")));
        assertEquals("friend:ann-unique-id", p.userId());
        assertEquals("Ann Example", p.displayName());
        assertFalse(p.serverAdmin());
        Map<String, String> form = forms.get(forms.size() - 1);
        assertEquals(Map.of("module", "system", "command", "userinfoget", "authid", "session-ann"), form);
    }

    @Test
    void adminLevelMakesAServerAdminAndUseridStandsInForUniqueId() {
        Principal p = accepted(provider(localCa).authenticate(friend("session-boss", "boss")));
        assertEquals("friend:42", p.userId());
        assertEquals("boss", p.displayName(), "no FullName: the login is shown");
        assertTrue(p.serverAdmin());
    }

    @Test
    void aSessionFriendCoreRefusesIsRefused() {
        assertEquals("auth_failed", rejected(provider(localCa).authenticate(friend("session-gone", "ann"))));
    }

    @Test
    void aSessionOfAnotherLoginIsRefused() {
        assertEquals("auth_failed", rejected(provider(localCa).authenticate(friend("session-ann", "mallory"))));
    }

    @Test
    void nonsenseIsAnInvalidResponse() {
        provider(localCa);
        assertEquals("friend_invalid_response", rejected(provider.authenticate(friend("session-badjson", "ann"))));
        assertEquals("friend_invalid_response", rejected(provider.authenticate(friend("session-html", "ann"))));
        assertEquals("friend_invalid_response", rejected(provider.authenticate(friend("session-noid", "ann"))));
        assertEquals("friend_invalid_response", rejected(provider.authenticate(friend("session-huge", "ann"))),
                "an answer beyond the bound is not read whole");
    }

    @Test
    void onlyFriendCoresTroubleIsMarkedUnavailableSoTheClientIsNotThrottledForIt() {
        provider(localCa);
        assertTrue(rejection(provider.authenticate(friend("session-500", "ann"))).unavailable());
        assertTrue(rejection(provider.authenticate(friend("session-html", "ann"))).unavailable());
        assertFalse(rejection(provider.authenticate(friend("session-gone", "ann"))).unavailable());
        assertFalse(rejection(provider.authenticate(friend("session-ann", "mallory"))).unavailable());
    }

    @Test
    void anHttpErrorMeansFriendCoreIsUnavailable() {
        assertEquals("friend_unavailable", rejected(provider(localCa).authenticate(friend("session-500", "ann"))));
    }

    @Test
    void aSlowFriendCoreTimesOut() {
        long t0 = System.nanoTime();
        assertEquals("friend_timeout", rejected(provider(localCa).authenticate(friend("session-slow", "ann"))));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3), "the timeout, not the server, ended it");
    }

    @Test
    void aRefusedConnectionMeansUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        provider = new FriendAuthProvider(settings(URI.create("https://127.0.0.1:" + port), localCa), time);
        assertEquals("friend_unavailable", rejected(provider.authenticate(friend("session-ann", "ann"))));
    }

    @Test
    void aCertificateFromAnUnknownCaIsRefused() throws Exception {
        int before = calls.get();
        provider = new FriendAuthProvider(settings(url(server), null), time);
        assertEquals("friend_unavailable", rejected(provider.authenticate(friend("session-ann", "ann"))));
        assertEquals(before, calls.get(), "nothing reached the handler");
    }

    @Test
    void theCaFileAddsToTheTrustButTheHostNameIsStillChecked() throws Exception {
        provider = new FriendAuthProvider(settings(url(wrongHost), otherCa), time);
        assertEquals("friend_unavailable", rejected(provider.authenticate(friend("session-ann", "ann"))));
    }

    @Test
    void aValidatedSessionIsCachedUntilItsTtl() {
        provider(localCa);
        int before = calls.get();
        accepted(provider.authenticate(friend("session-ann", "ann")));
        accepted(provider.authenticate(friend("session-ann", "ann")));
        assertEquals(before + 1, calls.get(), "the second sign-in came from the cache");
        assertEquals("auth_failed", rejected(provider.authenticate(friend("session-ann", "mallory"))),
                "the cache holds the login too");
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        accepted(provider.authenticate(friend("session-ann", "ann")));
        assertEquals(before + 3, calls.get(), "expired: asked again");
    }

    @Test
    void forgettingAUserDropsItsCachedSessions() {
        provider(localCa);
        int before = calls.get();
        accepted(provider.authenticate(friend("session-ann", "ann")));
        assertEquals(1, provider.forget("friend:ann-unique-id"));
        accepted(provider.authenticate(friend("session-ann", "ann")));
        assertEquals(before + 2, calls.get());
    }

    @Test
    void aRevocationThroughTheForgettingListDropsTheCachedSessions() {
        provider(localCa);
        var revocations = provider.forgetting(new io.presence.signaling.identity.InMemoryRevocationList());
        int before = calls.get();
        accepted(provider.authenticate(friend("session-ann", "ann")));
        revocations.revoke("friend:ann-unique-id", 5L);
        assertEquals(5L, revocations.revokedAt("friend:ann-unique-id").orElseThrow());
        accepted(provider.authenticate(friend("session-ann", "ann")));
        assertEquals(before + 2, calls.get(), "asked FriendCore again after the revocation");
    }

    @Test
    void missingFieldsAndOtherProvidersAreNotSentToFriendCore() {
        provider(localCa);
        int before = calls.get();
        assertEquals("bad_credentials", rejected(provider.authenticate(friend("", "ann"))));
        assertEquals("bad_credentials", rejected(provider.authenticate(friend("session-ann", null))));
        assertEquals("no_provider", rejected(provider.authenticate(new ClientMessage.Credentials("jwt", null, null,
                "x"))));
        assertEquals(before, calls.get());
    }

    @Test
    void theStageCompletesOffTheCallingThread() throws Exception {
        provider(localCa);
        Thread caller = Thread.currentThread();
        Thread[] completedOn = new Thread[1];
        provider.authenticate(friend("session-boss", "boss")).thenAccept(r -> completedOn[0] = Thread.currentThread())
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertNotEquals(caller, completedOn[0]);
        assertTrue(completedOn[0].getName().startsWith("friend-signin-"), completedOn[0].getName());
    }

    @Test
    void settingsRefusePlainHttpExceptToLoopback() {
        assertThrows(IllegalArgumentException.class, () -> settings(URI.create("http://friend.example.org"), null));
        settings(URI.create("http://127.0.0.1:6502"), null);
        assertEquals(URI.create("https://friend.example.org/system.library/module/"),
                settings(URI.create("https://friend.example.org/"), null).endpoint());
    }

    @Test
    void sessionHandlesInLogsDoNotRevealTheAuthId() {
        String handle = FriendAuthProvider.handle("session-secret-1234");
        assertFalse(handle.contains("secret"));
        assertEquals(12, handle.length());
    }

    // --- helpers

    private FriendAuthProvider provider(Path caFile) {
        try {
            provider = new FriendAuthProvider(settings(url(server), caFile), time);
        } catch (FriendTrustException e) {
            throw new AssertionError(e);
        }
        return provider;
    }

    private static FriendSettings settings(URI url, Path caFile) {
        return new FriendSettings(url, caFile, TIMEOUT, FriendSettings.DEFAULT_CACHE_TTL, 100);
    }

    private static URI url(HttpsServer s) {
        return URI.create("https://127.0.0.1:" + s.getAddress().getPort());
    }

    private static ClientMessage.Credentials friend(String authId, String login) {
        return ClientMessage.Credentials.friend(authId, login);
    }

    private static Principal accepted(java.util.concurrent.CompletionStage<AuthResult> stage) {
        AuthResult r = join(stage);
        return assertInstanceOf(AuthResult.Accepted.class, r, r::toString).principal();
    }

    private static String rejected(java.util.concurrent.CompletionStage<AuthResult> stage) {
        return rejection(stage).reason();
    }

    private static AuthResult.Rejected rejection(java.util.concurrent.CompletionStage<AuthResult> stage) {
        AuthResult r = join(stage);
        return assertInstanceOf(AuthResult.Rejected.class, r, r::toString);
    }

    private static AuthResult join(java.util.concurrent.CompletionStage<AuthResult> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What FriendCore says, by the session id the test sends. */
    private static void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        Map<String, String> form = new HashMap<>();
        try (InputStream in = exchange.getRequestBody()) {
            for (String pair : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        synchronized (forms) {
            forms.add(form);
        }
        int status = 200;
        String body = switch (String.valueOf(form.get("authid"))) {
            case "session-ann" -> "ok<!--separate-->{\"ID\":\"7\",\"UniqueID\":\"ann-unique-id\",\"Name\":\"ann\","
                    + "\"FullName\":\"Ann Example\",\"Level\":\"User\"}";
            case "session-boss" -> "ok<!--separate-->{\"userid\":42,\"Name\":\"boss\",\"Level\":\"Admin\"}";
            case "session-badjson" -> "ok<!--separate-->{\"UniqueID\":";
            case "session-noid" -> "ok<!--separate-->{\"Name\":\"ann\"}";
            case "session-html" -> "<html>maintenance</html>";
            case "session-huge" -> "ok<!--separate-->{\"Name\":\"" + "x".repeat(FriendAuthProvider.MAX_ANSWER_BYTES)
                    + "\"}";
            case "session-500" -> {
                status = 500;
                yield "error";
            }
            case "session-slow" -> {
                try {
                    Thread.sleep(TIMEOUT.toMillis() * 3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield "ok<!--separate-->{}";
            }
            default -> "fail<!--separate-->{\"response\":\"user session not found\"}";
        };
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static HttpsServer start(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 16);
        s.setHttpsConfigurator(new HttpsConfigurator(ssl));
        s.createContext(FriendSettings.MODULE_PATH, FriendAuthProviderTest::answer);
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-friendcore");
            t.setDaemon(true);
            return t;
        }));
        s.start();
        return s;
    }

    private static Path keyPair(String alias, String san) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + alias, "-ext", "san=" + san, "-ext", "bc:c", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        return store;
    }

    private static Path export(String alias) throws Exception {
        Path pem = dir.resolve(alias + "-ca.pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", dir.resolve(alias + ".p12").toString(),
                "-storepass", PASSWORD, "-file", pem.toString());
        return pem;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
