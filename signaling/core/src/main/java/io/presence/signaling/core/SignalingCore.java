package io.presence.signaling.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.signaling.room.LiveServices;
import io.presence.signaling.room.RoomDirectory;
import io.presence.signaling.room.RoomSettings;
import io.presence.signaling.runtime.LoopGroup;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.identity.AccessPolicy;
import io.presence.signaling.identity.AuthProvider;
import io.presence.signaling.identity.DevAuthProvider;
import io.presence.signaling.identity.DevAuthWarning;
import io.presence.signaling.invite.GuestAuthProvider;
import io.presence.signaling.invite.InviteMetrics;
import io.presence.signaling.invite.InviteSettings;
import io.presence.signaling.invite.Invites;
import io.presence.signaling.identity.InMemoryRevocationList;
import io.presence.signaling.identity.RevocationList;
import io.presence.signaling.session.LiveMetrics;
import io.presence.signaling.session.SessionManager;
import io.presence.signaling.session.TrustedProxies;
import io.presence.signaling.session.SignInMetrics;
import io.presence.signaling.session.SignInThrottle;
import io.presence.signaling.session.SignalingMetrics;
import io.presence.signaling.session.SignalingSettings;
import io.presence.signaling.storage.ChatStore;
import io.presence.signaling.storage.EphemeralRoomStore;
import io.presence.signaling.storage.InMemoryChatStore;
import io.presence.signaling.storage.InviteStore;
import io.presence.signaling.storage.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * The signaling core as one object: sessions, rooms, their calls and metrics, on the loops and the time source it
 * is given. It owns no thread and no socket; a transport feeds it connections ({@code SessionManager#hello}) and
 * the composition root builds it with {@link #builder}. Tests build it with a manual loop and a fake time source.
 *
 * <p>Thread-safe.
 */
public final class SignalingCore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingCore.class);

    private final SignalingSettings settings;
    private final LoopGroup loops;
    private final TimeSource time;
    private final SignalingMetrics metrics;
    private final LiveMetrics liveMetrics;
    private final SignInMetrics signInMetrics;
    private final RoomDirectory rooms;
    private final SessionManager sessions;
    private final InviteMetrics inviteMetrics;
    private final Invites invites;
    private final TrustedProxies trustedProxies;
    private boolean closed;

    private SignalingCore(Builder b) {
        this.settings = b.settings;
        this.loops = Objects.requireNonNull(b.loops, "loops");
        this.time = b.time;
        MeterRegistry registry = Objects.requireNonNull(b.meters, "meters");
        this.metrics = new SignalingMetrics(registry, time);
        this.liveMetrics = new LiveMetrics(registry);
        this.rooms = new RoomDirectory(loops, new RoomSettings(settings.membersPerRoom(), settings.historySize(),
                settings.typingTimeout(), b.idleUnload, settings.chatEditWindow()), time, metrics, b.roomStore, b.chats,
                b.live, liveMetrics);
        AuthProvider auth = b.auth;
        if (settings.devAuthEnabled()) {
            log.warn(DevAuthWarning.line(settings.wsHost(), settings.tcpHost()));
            auth = AuthProvider.chain(auth, new DevAuthProvider());
        }
        this.trustedProxies = b.trustedProxies;
        this.signInMetrics = new SignInMetrics(registry);
        this.inviteMetrics = new InviteMetrics(registry);
        // The sessions are made below with these invites; an announcement reads the field when it happens.
        invites = new Invites(b.inviteStore, rooms, (user, invite) -> sessions().inviteReceived(user, invite),
                b.inviteSettings, inviteMetrics, time);
        if (b.guestsEnabled && b.inviteStore != InviteStore.NONE) {
            // Guests come in through invites only, so without a store of invites the provider has nothing to do.
            auth = AuthProvider.chain(auth, new GuestAuthProvider(invites));
        }
        this.sessions = new SessionManager(settings, auth, rooms, b.access, metrics, time,
                new SignInThrottle(b.signInThrottle, time), signInMetrics, invites, b.revocations);
    }

    /** A builder for a core with these settings. */
    public static Builder builder(SignalingSettings settings) {
        return new Builder(settings);
    }

    public SignalingSettings settings() {
        return settings;
    }

    public LoopGroup loops() {
        return loops;
    }

    public TimeSource time() {
        return time;
    }

    /** The reverse proxies whose forwarding headers transports believe. */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** Where connections start their sessions ({@code hello}) and the server drains and ends them. */
    /** The invites to persistent rooms (answering {@code not_supported} when no store keeps them). */
    public Invites invites() {
        return invites;
    }

    public SessionManager sessions() {
        return sessions;
    }

    /** The rooms: loaded ones, and the way to stored ones. */
    public RoomDirectory rooms() {
        return rooms;
    }

    /** The signaling meters; transports count their connections and frames here too. */
    public SignalingMetrics metrics() {
        return metrics;
    }

    public LiveServices live() {
        return rooms.live();
    }

    /**
     * Forgets every room and removes the meters. Call after every session has ended (a transport ends them and lets
     * the loops run the resulting tasks first). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        rooms.clear();
        metrics.close();
        liveMetrics.close();
        signInMetrics.close();
        inviteMetrics.close();
    }

    /**
     * Builds a {@link SignalingCore}. Required: the settings, {@link #loops} and {@link #meters}; everything else has
     * a default that is today's single-node, in-memory behaviour.
     *
     * <p>Not thread-safe; build once.
     */
    public static final class Builder {
        private final SignalingSettings settings;
        private LoopGroup loops;
        private TimeSource time = TimeSource.SYSTEM;
        private MeterRegistry meters;
        private AuthProvider auth = AuthProvider.NONE;
        private LiveServices live;
        private ChatStore chats;
        private RoomStore roomStore = EphemeralRoomStore.INSTANCE;
        private Duration idleUnload = Duration.ZERO;
        private AccessPolicy access = AccessPolicy.ROOM_ID_IS_CAPABILITY;
        private SignInThrottle.Settings signInThrottle = SignInThrottle.Settings.DEFAULT;
        private InviteStore inviteStore = InviteStore.NONE;
        private InviteSettings inviteSettings = InviteSettings.DEFAULT;
        private boolean guestsEnabled;
        private RevocationList revocations;
        private TrustedProxies trustedProxies = TrustedProxies.NONE;

        private Builder(SignalingSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** The loops rooms and sessions run on (required). */
        public Builder loops(LoopGroup loops) {
            this.loops = Objects.requireNonNull(loops, "loops");
            return this;
        }

        /** The one time source of the core: message timestamps, rate limits, latency; default the system's. */
        public Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** Where the signaling and call meters register (required). */
        public Builder meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /**
         * The provider that checks {@code hello} credentials; default {@link AuthProvider#NONE}. When
         * {@link SignalingSettings#devAuthEnabled()} is set, the {@code dev} provider is tried after it.
         */
        public Builder auth(AuthProvider auth) {
            this.auth = auth == null ? AuthProvider.NONE : auth;
            return this;
        }

        /**
         * What calls need: the credential minter (the in-process relay or an external coturn), ICE URLs, credential
         * lifetime, mesh cap and default privacy mode; default {@link LiveServices#standalone()}.
         */
        public Builder live(LiveServices live) {
            this.live = Objects.requireNonNull(live, "live");
            return this;
        }

        /**
         * Where rooms keep their chat (message ids, retries, history); default in memory, the last
         * {@link SignalingSettings#historySize()} messages of each room, gone with the room.
         */
        public Builder chatStore(ChatStore chats) {
            this.chats = Objects.requireNonNull(chats, "chats");
            return this;
        }

        /** Where rooms are kept while not loaded; default none ({@link EphemeralRoomStore}): an unloaded room is gone. */
        public Builder roomStore(RoomStore roomStore) {
            this.roomStore = Objects.requireNonNull(roomStore, "roomStore");
            return this;
        }

        /** How long a room stays loaded with no member; default zero: it unloads when its last member leaves. */
        public Builder roomIdleUnload(Duration idleUnload) {
            if (idleUnload == null || idleUnload.isNegative()) {
                throw new IllegalArgumentException("roomIdleUnload must be zero or positive");
            }
            this.idleUnload = idleUnload;
            return this;
        }

        /**
         * How failed sign-ins slow down and then refuse their source; default
         * {@link SignInThrottle.Settings#DEFAULT}.
         */
        public Builder signInThrottle(SignInThrottle.Settings settings) {
            this.signInThrottle = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Decides every request about a room from the session's principal; default
         * {@link AccessPolicy#ROOM_ID_IS_CAPABILITY}.
         */
        public Builder access(AccessPolicy access) {
            this.access = Objects.requireNonNull(access, "access");
            return this;
        }

        /**
         * Where invites to persistent rooms are kept and how they are made; default none: invite requests are
         * answered {@code not_supported}. With {@code guestsEnabled}, the {@code guest} provider signs in whoever
         * holds a public or single invite.
         */
        public Builder invites(InviteStore store, InviteSettings settings, boolean guestsEnabled) {
            this.inviteStore = Objects.requireNonNull(store, "store");
            this.inviteSettings = Objects.requireNonNull(settings, "settings");
            this.guestsEnabled = guestsEnabled;
            return this;
        }

        /**
         * Where revocations are recorded (the token provider must consult the same list); default one kept in
         * memory.
         */
        public Builder revocations(RevocationList revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        /**
         * The reverse proxies whose forwarding headers name a connection's client address; default
         * {@link TrustedProxies#NONE}.
         */
        public Builder trustedProxies(TrustedProxies proxies) {
            this.trustedProxies = Objects.requireNonNull(proxies, "proxies");
            return this;
        }

        public SignalingCore build() {
            if (revocations == null) {
                revocations = new InMemoryRevocationList();
            }
            if (live == null) {
                live = LiveServices.standalone();
            }
            if (chats == null) {
                chats = new InMemoryChatStore(settings.historySize());
            }
            return new SignalingCore(this);
        }
    }
}
