package io.presence.signaling.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.net.ConnectionLimits;
import io.presence.net.NetStack;
import io.presence.signaling.app.config.PublicHost;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.invite.InviteSettings;
import io.presence.signaling.session.SignInThrottle;
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
    private final Duration roomIdleUnload;
    private SignalingServer server;
    private InviteStore inviteStore = InviteStore.NONE;
    private InviteSettings inviteSettings = InviteSettings.DEFAULT;
    private boolean guestsEnabled;

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

    /** How failed sign-ins slow down and then refuse their source; set before {@link #start}. */
    SignalingService signInThrottle(SignInThrottle.Settings settings) {
        this.signInThrottle = settings;
        return this;
    }

    @Override
    public String name() {
        return "signaling";
    }

    @Override
    public List<Listener> start() {
        NettyLoops loops = new NettyLoops(net.workers());
        SignalingCore core = SignalingCore.builder(settings)
                .loops(loops)
                .meters(registry)
                .auth(auth)
                .live(live.get())
                .roomStore(roomStore)
                .chatStore(chatStore)
                .signInThrottle(signInThrottle)
                .roomIdleUnload(roomIdleUnload)
                .invites(inviteStore, inviteSettings, guestsEnabled)
                .build();
        server = new SignalingServer(core, loops, net, registry, limits);
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
    }
}
