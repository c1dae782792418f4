package io.presence.signaling.friend;

import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.identity.Principal;
import io.presence.signaling.identity.RevocationList;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.signin.SignInNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sign-in with a Friend session, provider {@code friend}: {@code hello.auth}
 * {@code {"provider":"friend","authId":"...","login":"..."}}. FriendCore is asked whether the session is alive, as
 * Friend's own modules do: a POST to {@code <url>/system.library/module/} with {@code module=system},
 * {@code command=userinfoget} and the {@code authid}. Its answer names the user: {@code UniqueID} (or {@code userid})
 * becomes the user id {@code friend:<id>}, {@code Name} must equal the login the client states, {@code FullName} is
 * the display name, {@code Level: "Admin"} makes a server admin.
 *
 * <p>The request runs on the HTTP client's own small executor, never on the caller's thread (an event loop), and
 * the returned stage completes there. Certificates are verified (see {@link FriendTrust}). A session vouched for is
 * believed for {@link FriendSettings#cacheTtl()} without asking again.
 *
 * <p>Rejection reasons (bounded metrics labels): {@code auth_failed} (FriendCore refused the session, or it
 * belongs to another login), {@code bad_credentials} (no authId or login), {@code friend_unavailable} (no
 * connection, TLS refused, HTTP error), {@code friend_timeout}, {@code friend_invalid_response}.
 *
 * <p>Thread-safe. {@link #close()} stops the executor.
 */
public final class FriendAuthProvider implements AuthProvider, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FriendAuthProvider.class);
    public static final String NAME = "friend";
    /** Two threads serve any number of concurrent requests: the client is asynchronous, they only parse answers. */
    static final int THREADS = 2;
    /** FriendCore's user record is a few hundred bytes; anything beyond this is not an answer to read. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final FriendSettings settings;
    private final HttpClient http;
    private final ExecutorService executor;
    private final FriendSessionCache cache;

    public FriendAuthProvider(FriendSettings settings, TimeSource time) throws FriendTrustException {
        this.settings = Objects.requireNonNull(settings, "settings");
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "friend-signin-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .executor(executor)
                .sslContext(FriendTrust.context(settings.caFile()))
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.cache = new FriendSessionCache(settings.cacheTtl(), settings.cacheSize(), time);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientMessage.Credentials credentials) {
        if (!NAME.equals(credentials.provider())) {
            return CompletableFuture.completedFuture(AuthResult.rejected("no_provider",
                    "no authentication provider accepts '" + credentials.provider() + "'"));
        }
        String authId = credentials.authId();
        String login = credentials.login();
        if (authId == null || authId.isBlank() || login == null || login.isBlank()) {
            return CompletableFuture.completedFuture(AuthResult.rejected("bad_credentials",
                    "Friend sign-in needs an authId and a login"));
        }
        Principal cached = cache.get(authId, login);
        if (cached != null) {
            return CompletableFuture.completedFuture(AuthResult.accepted(cached));
        }
        HttpRequest request = HttpRequest.newBuilder(settings.endpoint())
                .timeout(settings.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("module", "system",
                        "command", "userinfoget", "authid", authId))))
                .build();
        try {
            // Even starting the exchange (a name lookup, a connection from the pool) happens on our executor: the
            // caller is an event loop.
            return CompletableFuture.supplyAsync(() -> http.sendAsync(request, BoundedBody.handler(MAX_ANSWER_BYTES)),
                            executor)
                    .thenCompose(sent -> sent)
                    .handleAsync((response, failure) -> failure != null ? failed(authId, failure)
                            : answered(authId, login, response), executor);
        } catch (RuntimeException e) {
            // the executor is shut down: the server is stopping
            return CompletableFuture.completedFuture(unavailable());
        }
    }

    /** Forgets the cached sessions of {@code userId} (a {@code friend:} id): its next sign-in asks FriendCore. */
    public int forget(String userId) {
        return cache.dropUser(userId);
    }

    /**
     * {@code revocations}, which also forget the revoked user's cached Friend sessions: a session FriendCore vouched
     * for before the revocation is not taken on trust after it.
     */
    public RevocationList forgetting(RevocationList revocations) {
        return new RevocationList() {
            @Override
            public CompletionStage<Void> revoke(String userId, long revokedAtMillis) {
                forget(userId);
                return revocations.revoke(userId, revokedAtMillis);
            }

            @Override
            public OptionalLong revokedAt(String userId) {
                return revocations.revokedAt(userId);
            }
        };
    }

    private AuthResult answered(String authId, String login, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            log.warn("FriendCore answered HTTP {} for session {}", response.statusCode(), handle(authId));
            return AuthResult.unavailable("friend_unavailable",
                    "FriendCore cannot check the session now; retry later");
        }
        FriendAnswer answer = FriendAnswer.parse(response.body());
        if (answer instanceof FriendAnswer.Refused) {
            return AuthResult.rejected("auth_failed", "FriendCore does not know this session");
        }
        if (answer instanceof FriendAnswer.Invalid invalid) {
            log.warn("FriendCore's answer for session {} is not usable: {}", handle(authId), invalid.what());
            return AuthResult.unavailable("friend_invalid_response", "FriendCore's answer was not understood");
        }
        FriendAnswer.User user = (FriendAnswer.User) answer;
        if (!user.login().equals(login)) {
            return AuthResult.rejected("auth_failed", "the Friend session belongs to another login");
        }
        if (!SignInNames.isUserId(user.id())) {
            log.warn("FriendCore's user id for session {} breaks the rule ({})", handle(authId),
                    SignInNames.USER_ID_RULE);
            return AuthResult.unavailable("friend_invalid_response", "FriendCore's answer was not understood");
        }
        String display = SignInNames.displayName(user.fullName());
        if (display == null) {
            display = SignInNames.displayName(user.login());
        }
        if (display == null) {
            return AuthResult.unavailable("friend_invalid_response", "FriendCore's answer was not understood");
        }
        Principal principal = new Principal("friend:" + user.id(), display, null, user.admin(), false, Map.of());
        cache.put(authId, login, principal);
        return AuthResult.accepted(principal);
    }

    private AuthResult failed(String authId, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof BoundedBody.TooLarge) {
            log.warn("FriendCore's answer for session {} is not usable: {}", handle(authId), cause.getMessage());
            return AuthResult.unavailable("friend_invalid_response", "FriendCore's answer was not understood");
        }
        if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
            log.warn("FriendCore did not answer within {} for session {}", settings.timeout(), handle(authId));
            return AuthResult.unavailable("friend_timeout", "FriendCore did not answer in time; retry later");
        }
        if (cause instanceof HttpConnectTimeoutException) {
            log.warn("FriendCore at {} took longer than {} to accept a connection", settings.url(),
                    settings.timeout());
            return AuthResult.unavailable("friend_timeout", "FriendCore did not answer in time; retry later");
        }
        if (cause instanceof SSLException) {
            log.warn("FriendCore at {}: TLS refused ({}); a private CA goes in auth.friend.caFile", settings.url(),
                    cause.getMessage());
        } else if (cause instanceof ConnectException || cause instanceof IOException) {
            log.warn("FriendCore at {} is unreachable: {}", settings.url(), cause.toString());
        } else {
            log.warn("Friend sign-in failed for session {}", handle(authId), cause);
        }
        return unavailable();
    }

    private static AuthResult unavailable() {
        return AuthResult.unavailable("friend_unavailable", "FriendCore cannot check the session now; retry later");
    }

    /** How logs name a session: a prefix of its hash, never the authId. */
    static String handle(String authId) {
        return FriendSessionCache.key(authId).substring(0, 12);
    }

    private static String form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        // a fixed order keeps the request reproducible in a capture
        for (String name : new String[]{"module", "command", "authid"}) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(name).append('=').append(URLEncoder.encode(fields.get(name), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
