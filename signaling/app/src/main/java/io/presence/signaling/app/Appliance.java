package io.presence.signaling.app;

import io.micrometer.core.instrument.Gauge;
import io.presence.metrics.MetricsRegistry;
import io.presence.metrics.health.Readiness;
import io.presence.net.ListenerBindException;
import io.presence.net.NetStack;
import io.presence.signaling.api.TokenIssuer;
import io.presence.signaling.app.config.ApiConfig;
import io.presence.signaling.app.config.ConfigException;
import io.presence.signaling.app.config.ConnectionBudget;
import io.presence.signaling.app.config.ConfigSchema;
import io.presence.signaling.app.config.ConfigValues;
import io.presence.signaling.app.config.HostAddresses;
import io.presence.signaling.jdbc.Database;
import io.presence.signaling.jdbc.JdbcChatStore;
import io.presence.signaling.jdbc.JdbcInviteStore;
import io.presence.signaling.jdbc.JdbcRoomStore;
import io.presence.signaling.jdbc.RoutedChatStore;
import io.presence.signaling.jdbc.StorageSettings;
import io.presence.signaling.live.CoturnRestMinter;
import io.presence.signaling.live.CredentialMinter;
import io.presence.signaling.live.IceServers;
import io.presence.signaling.live.SdpValidator;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.session.SignalingSettings;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.app.config.InviteConfig;
import io.presence.signaling.app.config.ModuleSettings;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.app.config.PublicHost;
import io.presence.signaling.app.config.Secret;
import io.presence.signaling.app.config.SignInConfig;
import io.presence.signaling.app.config.SignInWarnings;
import io.presence.signaling.identity.DevAuthWarning;
import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.identity.RevocationList;
import io.presence.signaling.jdbc.JdbcRevocationList;
import io.presence.signaling.friend.FriendAuthProvider;
import io.presence.signaling.friend.FriendSettings;
import io.presence.signaling.friend.FriendTrustException;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.signin.TokenMinter;
import io.presence.turn.config.TurnSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The composition root: builds every part from the configuration and owns the start and stop order.
 *
 * <p>Start: metrics registry → admin listener (readiness "starting") → data directory and secrets →
 * database (schema migrated) → event loops → services in order → readiness "ready". Stop: readiness "draining" →
 * services stop accepting (reverse order) → drain up to {@code server.shutdownGrace} → services close (reverse) →
 * event loops → database → admin listener → registry. Not thread-safe: one thread starts it, one stops it.
 */
public final class Appliance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Appliance.class);
    private static final Duration DRAIN_POLL = Duration.ofMillis(100);
    private static final Duration LOOP_SHUTDOWN = Duration.ofSeconds(5);

    private final PresenceConfig config;
    private final PrintStream out;
    private final HostAddresses interfaces;
    private final Readiness readiness = new Readiness();
    private final List<Service> started = new ArrayList<>();
    private MetricsRegistry metrics;
    private AdminServer admin;
    private NetStack net;
    private DataDirectory data;
    private Secrets secrets;
    private Database database;
    private JdbcRoomStore roomStore;
    private JdbcInviteStore inviteStore;
    private AuthProvider signIn;
    /** The token keys {@link #openSignIn} read (null: tokens off), also for the host API's minting. */
    private TokenSignIn tokenSignIn;
    /** Whether {@link #openSignIn} opened Friend sign-in, for the web client's sign-in forms. */
    private boolean friendSignInOn;
    /** Who was revoked when (kept in the database); the token provider and the sessions share it. */
    private RevocationList revocations;
    /** Friend sign-in when auth.friend.enabled; closed with the appliance. */
    private FriendAuthProvider friendSignIn;
    private InetSocketAddress adminAddress;
    private PublicHost publicHost;
    private boolean stopped;

    /** The secrets the appliance runs with, configured or generated. Never logged. */
    public record Secrets(List<Secret> turn) { }

    public Appliance(PresenceConfig config, PrintStream out) {
        this(config, out, HostAddresses.system());
    }

    /** @param interfaces this machine's addresses, for choosing the public host when it is not configured */
    Appliance(PresenceConfig config, PrintStream out, HostAddresses interfaces) {
        this.config = config;
        this.out = out;
        this.interfaces = interfaces;
    }

    public void start() throws Exception {
        long t0 = System.nanoTime();
        try {
            metrics = new MetricsRegistry();
            Gauge.builder("presence.ready", readiness, r -> r.probe().ready() ? 1 : 0)
                    .description("1 while the readiness probe passes (started, not draining, dependencies up), else 0")
                    .register(metrics.registry());
            Gauge.builder("presence.build.info", () -> 1).tag("version", Version.current())
                    .description("Build of the running appliance; the value is always 1")
                    .register(metrics.registry());
            publicHost = PublicHost.choose(config, interfaces);
            admin = new AdminServer(resolve(config.metrics().bind()), metrics, readiness);
            adminAddress = opened("admin", admin::start);
            print("admin", "http://" + hostPort(adminAddress) + " (/metrics /healthz /readyz)");
            String adminUrl = "http://" + Service.Listener.openableHost(config.metrics().bind().getHostString(),
                    publicHost) + ":" + adminAddress.getPort();
            for (String path : List.of("/metrics", "/healthz", "/readyz")) {
                print(path.substring(1), adminUrl + path);
            }

            data = DataDirectory.open(config.server().dataDir());
            secrets = new Secrets(
                    config.turn().secrets().isEmpty() ? List.of(data.secret("turn-secret")) : config.turn().secrets());
            openStorage();
            signIn = openSignIn();
            net = NetStack.create(config.server().ioThreads(), config.server().nativeTransport());

            if (ModuleSettings.liveExternal(config).isEmpty()) {
                print("public host", publicHost.host() + " (" + publicHost.origin().text() + ")"
                        + publicHost.warning().map(w -> ": " + w).orElse(""));
            }
            for (Service service : services()) {
                List<Service.Listener> listeners = opened(service.name(), service::start);
                started.add(service);
                for (Service.Listener l : listeners) {
                    print(l.what(), l.address());
                }
            }
            readiness.moveTo(Readiness.Phase.READY);
        } catch (Exception | Error e) {
            stop(Duration.ZERO);
            throw e;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.printf("presence %s ready in %d ms (transport %s, data %s)%n", Version.current(), ms,
                net.isEpoll() ? "epoll" : "nio", data.root());
        out.flush();
        log.info("ready in {} ms", ms);
    }

    /**
     * Opens the database and brings its schema up to date; a failed, missing or out-of-order migration stops the
     * start with one line. The readiness probe reports the database from then on.
     */
    private void openStorage() throws ConfigException {
        StorageSettings settings = ModuleSettings.storage(config);
        database = Database.open(settings, metrics.registry());
        int applied = database.migrations().migrate();
        roomStore = new JdbcRoomStore(database);
        inviteStore = new JdbcInviteStore(database);
        readiness.require(new Readiness.Check() {
            @Override
            public String name() {
                return "database";
            }

            @Override
            public String problem() {
                return database.problem();
            }
        });
        print("database", (settings.embedded() ? "embedded " : "") + redacted(settings.jdbcUrl()) + " (schema "
                + database.migrations().currentVersion() + (applied > 0 ? ", " + applied + " migration(s) applied" : "")
                + ")");
    }

    /**
     * The sign-in providers besides the development and guest ones (which the core adds itself when
     * signaling.devAuth, and auth.guest.enabled with the invites, are on): signed tokens unless auth.jwt.enabled is
     * false, then Friend sessions when auth.friend.enabled. Both consult the revocations kept in the database, which
     * is why this runs after the storage opened. Prints where the keys come from, never the keys.
     */
    private AuthProvider openSignIn() throws Exception {
        Optional<TokenSignIn> tokens = TokenSignIn.open(config, data);
        Optional<FriendSettings> friendSettings = SignInConfig.friend(config);
        print("sign-in", tokens.map(t -> "tokens (jwt): " + t.description()).orElse("tokens off (auth.jwt.enabled)")
                + friendSettings.map(f -> "; Friend sessions via " + f.url()).orElse("")
                + (InviteConfig.guestsEnabled(config) ? "; guests with invites" : "; guests off (auth.guest.enabled)")
                + (config.values().get(ConfigSchema.SIGNALING_DEV_AUTH) ? "; development provider ON" : ""));
        // In the start output with the sign-in line they are about, once; the development provider's own warning
        // is the core's WARN line on every start it is on, so it is not repeated here.
        String devWarning = DevAuthWarning.line(config.signaling().host());
        for (String warning : SignInWarnings.lines(config)) {
            if (!warning.equals(devWarning)) {
                print("warning", warning);
            }
        }
        tokenSignIn = tokens.orElse(null);
        friendSignInOn = friendSettings.isPresent();
        revocations = JdbcRevocationList.load(database);
        AuthProvider provider = tokens.<AuthProvider>map(t -> t.provider(config, TimeSource.SYSTEM, revocations))
                .orElse(AuthProvider.NONE);
        if (friendSettings.isPresent()) {
            try {
                friendSignIn = new FriendAuthProvider(friendSettings.get(), TimeSource.SYSTEM);
            } catch (FriendTrustException e) {
                throw new ConfigException(ConfigSchema.AUTH_FRIEND_CA_FILE.path(), null, e.getMessage(), null);
            }
            provider = AuthProvider.chain(provider, friendSignIn);
            revocations = friendSignIn.forgetting(revocations);
        }
        return provider;
    }

    /** A JDBC URL without its query, where drivers accept credentials. */
    static String redacted(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
    }

    /** The services in start order. */
    private List<Service> services() throws ConfigException {
        ConnectionBudget budget = ConnectionBudget.current(config.values());
        if (budget.warning() != null) {
            log.warn(budget.warning());
        }
        log.info("connection caps: stun {} ({} per source), signaling {} ({} per source), admin {}",
                budget.stun().maxConnections(), budget.stun().maxPerSource(), budget.signaling().maxConnections(),
                budget.signaling().maxPerSource(), ConnectionBudget.ADMIN.maxConnections());
        TurnSettings turn = ModuleSettings.turn(config, secrets.turn().stream().map(Secret::reveal).toList());
        RelayService relay = new RelayService(turn.toBuilder()
                .listener(turn.listener().withConnections(budget.stun())).build(), net, metrics.registry());
        Optional<ModuleSettings.ExternalRelay> external = ModuleSettings.liveExternal(config);
        SignalingSettings signaling = ModuleSettings.signaling(config);
        return List.of(relay,
                new SignalingService(signaling, net, metrics.registry(), signIn,
                        () -> liveServices(relay, external), budget.signaling(), publicHost, roomStore,
                        new RoutedChatStore(roomStore, new JdbcChatStore(database, signaling.historySize(),
                                ModuleSettings.storage(config).groupCommit()),
                                new InMemoryChatStore(signaling.historySize())),
                        ModuleSettings.roomIdleUnload(config))
                        .signInThrottle(SignInConfig.throttle(config))
                        .signInProviders(tokenSignIn != null, friendSignInOn)
                        .invites(inviteStore, InviteConfig.invites(config), InviteConfig.guestsEnabled(config))
                        .revocations(revocations)
                        .trustedProxies(SignInConfig.trustedProxies(config))
                        .hostApi(ApiConfig.settings(config).orElse(null), apiTokens()));
    }

    /**
     * The host-platform API's token minting: the same keys as {@code presence token}; null when sign-in with tokens
     * is off or there is no secret to sign with (public keys only).
     */
    private TokenIssuer apiTokens() {
        if (tokenSignIn == null) {
            return null;
        }
        try {
            TokenMinter minter = tokenSignIn.minter(config, TimeSource.SYSTEM);
            return (userId, name, ttl, room) -> {
                try {
                    return minter.mint(userId, name, ttl, room, false);
                } catch (TokenMinter.RefusedException e) {
                    throw new TokenIssuer.Refused(e.getMessage());
                }
            };
        } catch (ConfigException e) {
            return null;
        }
    }

    /**
     * Calls mint through the in-process relay (revocable at once, room policy enforced), or, in external relay
     * mode, coturn REST credentials for the configured coturn. Runs after the relay has started (its bound ports
     * go into the ICE URLs).
     */
    private LiveServices liveServices(RelayService relay, Optional<ModuleSettings.ExternalRelay> external) {
        ConfigValues v = config.values();
        CredentialMinter minter;
        IceServers iceServers;
        if (external.isPresent()) {
            iceServers = external.get().iceServers();
            minter = new CoturnRestMinter(external.get().secret().reveal(), externalRelayAddresses(iceServers));
            log.info("live calls use the external relay {}", iceServers);
        } else {
            log.info("call participants reach STUN/TURN at {} ({})", publicHost.host(), publicHost.origin().text());
            minter = new RelayCredentialMinter(relay.control());
            iceServers = IceServers.appliance(publicHost.host(), relay.port(), relay.port(), relay.tlsPort());
        }
        return new LiveServices(minter, iceServers, v.get(ConfigSchema.LIVE_CREDENTIAL_TTL),
                v.get(ConfigSchema.LIVE_MESH_CAP), v.get(ConfigSchema.LIVE_RELAY_ONLY_DEFAULT), new SdpValidator());
    }

    /**
     * The addresses an external coturn relays at, as far as this process can know them: its URLs' hosts, resolved
     * once at start. In relay-only rooms only relay candidates on these addresses are forwarded.
     */
    private static Set<InetAddress> externalRelayAddresses(IceServers iceServers) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String host : iceServers.hosts()) {
            try {
                addresses.addAll(List.of(InetAddress.getAllByName(host)));
            } catch (UnknownHostException e) {
                log.warn("external relay host {} does not resolve: relay-only calls will not get its candidates", host);
            }
        }
        return addresses;
    }

    /** Something that binds listeners. */
    private interface Opening<T> {
        T open() throws Exception;
    }

    /** Opens {@code service}'s listeners; one that cannot bind is reported with the key that chose its port. */
    private static <T> T opened(String service, Opening<T> opening) throws Exception {
        try {
            return opening.open();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ListenerBindException bind) {
                    throw ListenerUnavailableException.of(service, bind);
                }
            }
            throw e;
        }
    }

    /** Readiness goes false, listeners stop accepting, connections drain up to the grace, then all closes. */
    public void stop() {
        stop(config.server().shutdownGrace());
    }

    private void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        readiness.moveTo(Readiness.Phase.DRAINING);
        log.info("stopping: draining for at most {} ms", grace.toMillis());
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stopAccepting();
        }
        drain(grace);
        for (int i = started.size() - 1; i >= 0; i--) {
            Service service = started.get(i);
            try {
                service.close();
            } catch (RuntimeException e) {
                log.warn("closing {} failed: {}", service.name(), e.toString());
            }
        }
        started.clear();
        if (net != null) {
            net.shutdown(LOOP_SHUTDOWN);
        }
        if (friendSignIn != null) {
            friendSignIn.close();
        }
        if (database != null) {
            // After the services: the last appends complete (or fail) before the pool closes.
            database.close();
        }
        readiness.moveTo(Readiness.Phase.STOPPED);
        if (admin != null) {
            admin.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        log.info("stopped");
    }

    private void drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            int active = 0;
            for (Service s : started) {
                active += s.active();
            }
            if (active == 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(DRAIN_POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    /** The signaling WebSocket listener's bound address (also serves the web client), or null. */
    public InetSocketAddress webSocketAddress() {
        for (Service s : started) {
            if (s instanceof SignalingService signaling) {
                return signaling.webSocketAddress();
            }
        }
        return null;
    }

    /** The host browsers are told to reach this appliance at, chosen at start. */
    public PublicHost publicHost() {
        return publicHost;
    }

    public Readiness readiness() {
        return readiness;
    }

    public MetricsRegistry metrics() {
        return metrics;
    }

    Secrets secrets() {
        return secrets;
    }

    private void print(String what, String address) {
        out.printf("%-16s %s%n", what, address);
        out.flush();
    }

    static InetSocketAddress resolve(InetSocketAddress unresolved) {
        return new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
