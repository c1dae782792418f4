package io.presence.signaling.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.net.ConnectionLimits;
import io.presence.net.NetStack;
import io.presence.signaling.api.ApiEndpoint;
import io.presence.signaling.api.ApiMetrics;
import io.presence.signaling.api.ApiSettings;
import io.presence.signaling.api.TokenIssuer;
import io.presence.signaling.app.config.PublicHost;
import io.presence.signaling.avatar.AvatarEndpoint;
import io.presence.signaling.avatar.AvatarMetrics;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.http.HttpEndpoints;
import io.presence.signaling.protocol.AvatarPath;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.invite.InviteSettings;
import io.presence.signaling.identity.InMemoryRevocationList;
import io.presence.signaling.identity.RevocationList;
import io.presence.signaling.session.TrustedProxies;
import io.presence.signaling.session.SessionManager;
import io.presence.signaling.session.SignInThrottle;
import io.presence.signaling.session.UserRevoker;
import io.presence.signaling.session.SignalingSettings;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.InviteStore;
import io.presence.signaling.storage.RoomStore;
import io.presence.signaling.transport.NettyLoops;
import io.presence.signaling.transport.SignalingServer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The WebSocket and TCP signaling listeners under the appliance's lifecycle. */
final class SignalingService implements Service {

    /** Where the WebSocket listeners serve the web client (see StaticPages). */
    static final String CLIENT_PAGE = "/";

    private final SignalingSettings settings;
    private final NetStack net;
    private final MeterRegistry registry;
    private final AuthProvider auth;
    private final Supplier<LiveServices> live;
    private final ConnectionLimits limits;
    private final PublicHost publicHost;
    private final RoomStore roomStore;
    private final ChatStore chatStore;
    private SignInThrottle.Settings signInThrottle = SignInThrottle.Settings.DEFAULT;
    private RevocationList revocations = new InMemoryRevocationList();
    private TrustedProxies trustedProxies = TrustedProxies.NONE;
    private final Duration roomIdleUnload;
    private SignalingServer server;
    private InviteStore inviteStore = InviteStore.NONE;
    private InviteSettings inviteSettings = InviteSettings.DEFAULT;
    private boolean guestsEnabled;
    private boolean tokenSignIn;
    private boolean friendSignIn;
    /** The sessions, for {@link #revokeUser}; set by {@link #start}. */
    private SignalingCore core;

    /**
     * @param live   built at start, after the relay it mints credentials through has started
     * @param limits connections at once across the signaling listeners
     * @param publicHost where browsers reach this machine, for the printed web client address
     * @param roomStore  where named rooms are kept
     * @param chatStore  where rooms keep their chat
     * @param roomIdleUnload how long a persistent room stays loaded once empty
     */
    SignalingService(SignalingSettings settings, NetStack net, MeterRegistry registry, AuthProvider auth,
                     Supplier<LiveServices> live, ConnectionLimits limits, PublicHost publicHost,
                     RoomStore roomStore, ChatStore chatStore, Duration roomIdleUnload) {
        this.roomIdleUnload = roomIdleUnload;
        this.roomStore = roomStore;
        this.chatStore = chatStore;
        this.publicHost = publicHost;
        this.limits = limits;
        this.settings = settings;
        this.net = net;
        this.registry = registry;
        this.auth = auth;
        this.live = live;
    }

    /** Where invites are kept, how they are made, and whether guests sign in with them; set before {@link #start}. */
    SignalingService invites(InviteStore store, InviteSettings settings, boolean guestsEnabled) {
        this.inviteStore = store;
        this.inviteSettings = settings;
        this.guestsEnabled = guestsEnabled;
        return this;
    }

    /**
     * Whether signed tokens and Friend sessions sign in, for the web client's sign-in forms ({@link SignInForms});
     * guests and the development provider it knows itself. Set before {@link #start}.
     */
    SignalingService signInProviders(boolean tokens, boolean friend) {
        this.tokenSignIn = tokens;
        this.friendSignIn = friend;
        return this;
    }

    /** How failed sign-ins slow down and then refuse their source; set before {@link #start}. */
    SignalingService signInThrottle(SignInThrottle.Settings settings) {
        this.signInThrottle = settings;
        return this;
    }

    /** The reverse proxies whose forwarding headers name the client; set before {@link #start}. */
    SignalingService trustedProxies(TrustedProxies proxies) {
        this.trustedProxies = proxies;
        return this;
    }

    /** Where revocations are recorded; the token provider must consult the same list. Set before {@link #start}. */
    SignalingService revocations(RevocationList revocations) {
        this.revocations = revocations;
        return this;
    }

    /** Ends every session of {@code userId} and records the revocation; see {@code SessionManager#revokeUser}. */
    int revokeUser(String userId, String reason) {
        return core.sessions().revokeUser(userId, reason);
    }

    @Override
    public String name() {
        return "signaling";
    }

    @Override
    public List<Listener> start() {
        NettyLoops loops = new NettyLoops(net.workers());
        core = SignalingCore.builder(settings)
                .loops(loops)
                .meters(registry)
                .auth(auth)
                .live(live.get())
                .roomStore(roomStore)
                .chatStore(chatStore)
                .signInThrottle(signInThrottle)
                .revocations(revocations)
                .trustedProxies(trustedProxies)
                .roomIdleUnload(roomIdleUnload)
                .invites(inviteStore, inviteSettings, guestsEnabled)
                .build();
        server = new SignalingServer(core, loops, net, registry, limits);
        server.endpoints(endpoints(core));
        server.start();
        List<Listener> listeners = new ArrayList<>();
        if (server.webSocketAddress() != null) {
            String hostPort = Listener.hostPort(settings.wsHost(), server.webSocketAddress());
            listeners.add(new Listener("signaling ws", "ws://" + hostPort + settings.wsPath()));
            String pageHost = Listener.openableHost(settings.wsHost(), publicHost);
            // Browsers allow camera and microphone over plain HTTP only on this machine (a secure context).
            boolean remote = PublicHost.reach(pageHost) != PublicHost.Reach.THIS_MACHINE
                    && server.secureWebSocketAddress() == null;
            listeners.add(new Listener("web client", "http://" + pageHost + ":" + server.webSocketAddress().getPort()
                    + CLIENT_PAGE + (remote ? "  (browsers on other machines need HTTPS for camera and microphone: "
                    + "signaling.tlsCertificate or a reverse proxy)" : "")));
        }
        if (server.secureWebSocketAddress() != null) {
            String hostPort = Listener.hostPort(settings.wsHost(), server.secureWebSocketAddress());
            listeners.add(new Listener("signaling wss", "wss://" + hostPort + settings.wsPath()));
            listeners.add(new Listener("web client tls", "https://" + Listener.openableHost(settings.wsHost(), publicHost)
                    + ":" + server.secureWebSocketAddress().getPort() + CLIENT_PAGE));
        }
        if (server.tcpAddress() != null) {
            listeners.add(new Listener("signaling tcp", (settings.tcpTls() ? "tls://" : "tcp://")
                    + Listener.hostPort(settings.tcpHost(), server.tcpAddress())));
        }
        return listeners;
    }

    // --- plain HTTP on the WebSocket listeners: avatars and the sign-in forms (always), and the host-platform API
    // (when enabled).

    /** Cache misses waiting to be drawn beyond this are answered 503: a flood of ids costs a bounded queue. */
    static final int AVATAR_QUEUE = 256;
    private ThreadPoolExecutor avatarRenderer;

    private HttpEndpoints endpoints(SignalingCore core) {
        // One daemon thread: a 512-pixel avatar takes milliseconds to draw, too long for an event loop, and the
        // cache answers every repeat.
        avatarRenderer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(AVATAR_QUEUE), r -> {
                    Thread t = new Thread(r, "avatar-render");
                    t.setDaemon(true);
                    return t;
                });
        HttpEndpoints served = HttpEndpoints.NONE.with(
                AvatarPath.PREFIX,
                new AvatarEndpoint(avatarRenderer,
                        new AvatarMetrics(registry),
                        AvatarEndpoint.DEFAULT_CACHE_BYTES));
        served = served.withPath(SignInForms.PATH,
                new SignInForms(tokenSignIn, friendSignIn, guestsEnabled, settings.devAuthEnabled()));
        if (api != null) {
            SessionManager sessions = core.sessions();
            UserRevoker revoker = userId -> CompletableFuture.completedFuture(
                    sessions.revokeUser(userId, "the host platform's API"));
            served = served.with(ApiEndpoint.PREFIX, new ApiEndpoint(api, core.time(), core.rooms(), revoker,
                    apiTokens, new ApiMetrics(registry), core.invites(), sessions::roomListed));
        }
        return served;
    }

    private ApiSettings api;
    private TokenIssuer apiTokens;

    /**
     * Serves the host-platform API with {@code settings} (null = off); {@code tokens} mints its sign-in tokens, null
     * when the server has no key to sign with. Set before {@link #start}.
     */
    SignalingService hostApi(ApiSettings settings, TokenIssuer tokens) {
        this.api = settings;
        this.apiTokens = tokens;
        return this;
    }

    /** The bound WebSocket listener address (real port), or null when disabled or not started. */
    InetSocketAddress webSocketAddress() {
        return server == null ? null : server.webSocketAddress();
    }


    @Override
    public void stopAccepting() {
        server.drain();
    }

    @Override
    public int active() {
        return server.openConnections();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (avatarRenderer != null) {
            avatarRenderer.shutdownNow();
        }
    }
}
