package io.presence.signaling.room;

import io.presence.signaling.live.CandidateKind;
import io.presence.signaling.live.Credentials;
import io.presence.signaling.protocol.IceConfiguration;
import io.presence.signaling.live.RelayOnlyResult;
import io.presence.signaling.live.SdpIdentifiers;
import io.presence.signaling.live.SdpRejection;
import io.presence.signaling.live.SdpValidation;
import io.presence.signaling.live.StrippedCandidates;
import io.presence.signaling.live.TrickledCandidate;
import io.presence.signaling.protocol.CallPeer;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.Limit;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.protocol.SignalKind;
import io.presence.signaling.runtime.Cancellable;
import io.presence.signaling.runtime.Loop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The call of one room: who is in it (a subset of the room's members), their media state and TURN identity, and
 * the relaying of WebRTC signals between them.
 *
 * <p>Who offers: of any two participants, the one that joined the call later offers; the older one never
 * offers to the newer one (refused with {@code invalid_field}), it sends {@code restart} to ask for an ICE-restart
 * offer instead. The server enforces this, so glare cannot happen.
 *
 * <p>Credentials: each call join gets its own TURN participant id {@code <memberId>.<n>}, because the relay
 * refuses to mint again for a revoked (room, participant) pair. Every way out of the call — {@code live.leave},
 * leaving the room, the session ending, a future kick — goes through {@link #remove}, which revokes at once.
 *
 * <p>Concurrency: owned by its {@link Room} and touched only on the room's event loop; no locks.
 */
final class LiveCall {
    private static final Logger log = LoggerFactory.getLogger(LiveCall.class);

    /** Credentials are pushed again when this share of their lifetime has passed. */
    static final double REFRESH_AT = 0.8;

    private final String roomId;
    private final Loop loop;
    /** Changed only while nobody is in the call ({@link #relayOnly(boolean)}). */
    private boolean relayOnly;
    private final LiveServices services;
    private final LiveStats stats;

    // Loop-confined state. Insertion order is join order: older participants first.
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private long joins;
    private boolean policySet;

    private static final class Participant {
        final String memberId;
        final MemberSink sink;
        final String displayName;
        final String turnId;
        final long order;
        boolean muted;
        boolean camera;
        boolean speaking;
        Cancellable refresh;

        Participant(String memberId, MemberSink sink, String displayName, String turnId, long order) {
            this.memberId = memberId;
            this.sink = sink;
            this.displayName = displayName;
            this.turnId = turnId;
            this.order = order;
        }
    }

    LiveCall(String roomId, Loop loop, boolean relayOnly, LiveServices services, LiveStats stats) {
        this.roomId = roomId;
        this.loop = loop;
        this.relayOnly = relayOnly;
        this.services = services;
        this.stats = stats;
    }

    boolean relayOnly() {
        return relayOnly;
    }

    /**
     * Sets the privacy mode of the next call. Only while nobody is in the call: the participants' credentials,
     * candidates and the relay's room policy all follow the mode, so switching under a running call would need
     * new credentials and an ICE restart for everyone. The relay is told before the next first join.
     */
    void relayOnly(boolean relayOnly) {
        if (!participants.isEmpty()) {
            throw new IllegalStateException("the call of room " + roomId + " has participants");
        }
        if (relayOnly != this.relayOnly) {
            this.relayOnly = relayOnly;
            policySet = false;
        }
    }

    /** Whether anyone is in the call. */
    boolean isEmpty() {
        return participants.isEmpty();
    }

    boolean contains(String memberId) {
        return participants.containsKey(memberId);
    }

    /** Joins the call, or (already in it) answers again with the peers and fresh credentials. */
    void join(String memberId, MemberProfile profile, MemberSink sink, Reply reply) {
        Participant existing = participants.get(memberId);
        if (existing != null) {
            IceConfiguration ice = mint(existing, reply, true);
            if (ice != null) {
                sink.reply(reply, new ServerMessage.CallJoined(reply.requestId(), roomId, memberId, relayOnly,
                        peersExcept(memberId), ice));
            }
            return;
        }
        if (participants.size() >= services.meshCap()) {
            sink.reply(reply, ServerMessage.Error.limit(reply.requestId(), Limit.CALL_PARTICIPANTS,
                    "the call has its maximum of " + services.meshCap() + " participants"));
            return;
        }
        if (!policySet) {
            // Before the first credentials of this room exist, so no allocation ever runs under the wrong policy.
            services.minter().roomPolicy(roomId, relayOnly);
            policySet = true;
        }
        long order = ++joins;
        Participant p = new Participant(memberId, sink, profile.displayName(), memberId + "." + order, order);
        IceConfiguration ice = mint(p, reply, false);
        if (ice == null) {
            return;
        }
        if (participants.isEmpty()) {
            stats.callStarted();
        }
        List<CallPeer> peers = peersExcept(memberId);
        participants.put(memberId, p);
        stats.participantJoined();
        broadcastExcept(memberId, new RoomEvent.CallJoined(roomId, view(memberId, p)));
        sink.reply(reply, new ServerMessage.CallJoined(reply.requestId(), roomId, memberId, relayOnly, peers, ice));
    }

    /**
     * The one way out of the call: revokes the participant's credentials on the relay and tells the others.
     * Returns false when the member was not in the call.
     */
    boolean remove(String memberId, String reason) {
        Participant p = participants.remove(memberId);
        if (p == null) {
            return false;
        }
        if (p.refresh != null) {
            p.refresh.cancel();
        }
        services.minter().revoke(roomId, p.turnId);
        stats.credentialsRevoked();
        stats.participantLeft();
        broadcastExcept(memberId, new RoomEvent.CallLeft(roomId, memberId, reason));
        if (participants.isEmpty()) {
            stats.callEnded();
        }
        return true;
    }

    void leave(String memberId, MemberSink sink, Reply reply) {
        if (!remove(memberId, "left")) {
            notInCall(sink, reply);
            return;
        }
        sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
    }

    /** Fresh credentials on request ({@code live.credentials}). */
    void refresh(String memberId, MemberSink sink, Reply reply) {
        Participant p = participants.get(memberId);
        if (p == null) {
            notInCall(sink, reply);
            return;
        }
        IceConfiguration ice = mint(p, reply, true);
        if (ice != null) {
            sink.reply(reply, new ServerMessage.CallCredentials(reply.requestId(), roomId, ice));
        }
    }

    /**
     * The member's session resumed: it keeps its place in the call (nobody saw it leave) and is pushed fresh
     * credentials, since its old ones may have expired while it was away and it is about to restart ICE.
     */
    void resumed(String memberId) {
        Participant p = participants.get(memberId);
        if (p == null) {
            return;
        }
        push(memberId, p, "resumed");
    }

    /** Mints and pushes fresh credentials to the participant ({@code reason}: resumed or expiring). */
    private void push(String memberId, Participant p, String reason) {
        IceConfiguration ice = mint(p, Reply.NONE, true);
        if (ice != null) {
            p.sink.event(new RoomEvent.CredentialsRefreshed(roomId, ice, reason));
        }
    }

    /**
     * The server does not rely on clients asking in time: at {@link #REFRESH_AT} of the lifetime of the newest
     * credentials it pushes fresh ones. Every mint re-arms the timer, so there is one per participant.
     */
    private void armRefresh(String memberId, Participant p, long ttlSeconds) {
        if (p.refresh != null) {
            p.refresh.cancel();
        }
        long delayMillis = Math.max(500, (long) (ttlSeconds * 1000 * REFRESH_AT));
        p.refresh = loop.schedule(() -> {
            p.refresh = null;
            if (participants.get(memberId) == p) {
                push(memberId, p, "expiring");
            }
        }, Duration.ofMillis(delayMillis));
    }

    void mediaState(String memberId, ClientMessage.MediaState state, MemberSink sink, Reply reply) {
        Participant p = participants.get(memberId);
        if (p == null) {
            notInCall(sink, reply);
            return;
        }
        boolean changed = false;
        if (state.muted() != null && state.muted() != p.muted) {
            p.muted = state.muted();
            changed = true;
        }
        if (state.camera() != null && state.camera() != p.camera) {
            p.camera = state.camera();
            changed = true;
        }
        if (state.speaking() != null && state.speaking() != p.speaking) {
            p.speaking = state.speaking();
            changed = true;
        }
        if (changed) {
            broadcastExcept(memberId, new RoomEvent.MediaStateChanged(roomId, memberId, p.muted, p.camera,
                    p.speaking));
        }
        sink.reply(reply, new ServerMessage.Ok(reply.requestId()));
    }

    /**
     * Validates one signal and relays it to its addressee only. A refused SDP or candidate gets a typed error and
     * goes nowhere. In relay-only rooms every SDP and candidate is rebuilt from an allow-list first
     * ({@code RelayOnlyFilter}) and a candidate that is not an allocation of this room on the relay is dropped;
     * the {@code ok} then says what was left out ({@code removed}), so a sender is never told "ok" about something
     * that did not go through as sent.
     */
    void signal(String memberId, ClientMessage.Signal signal, MemberSink sink, Reply reply) {
        Participant from = participants.get(memberId);
        if (from == null) {
            notInCall(sink, reply);
            return;
        }
        Participant to = participants.get(signal.to());
        if (to == null || to == from) {
            sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.UNKNOWN_PEER,
                    "member '" + abbreviate(signal.to()) + "' is not another participant of this call"));
            return;
        }
        SignalKind kind = SignalKind.fromWire(signal.kind());
        if (kind == SignalKind.OFFER && from.order < to.order) {
            sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.INVALID_FIELD,
                    "only the newer participant of a pair offers; send kind 'restart' to ask it for an offer"));
            return;
        }
        String sdp = null;
        String candidate = null;
        String sdpMid = signal.sdpMid();
        Removal removal = new Removal();
        if (relayOnly && sdpMid != null && !SdpIdentifiers.isMid(sdpMid)) {
            // The sdpMid travels beside the candidate: held to the same grammar as a=mid, else left out.
            sdpMid = null;
            removal.attribute("sdpMid");
        }
        switch (kind) {
            case OFFER, ANSWER -> {
                sdp = checkedSdp(signal.sdp(), sink, reply, removal);
                if (sdp == null) {
                    return;
                }
                if (kind == SignalKind.OFFER && Boolean.TRUE.equals(signal.iceRestart())) {
                    stats.iceRestartRequested();
                }
            }
            case CANDIDATE -> {
                candidate = checkedCandidate(signal.candidate(), sink, reply, removal);
                if (candidate == null) {
                    return;
                }
                if (candidate.isEmpty()) {
                    // Stripped in privacy mode: nothing to relay; the answer says so.
                    sink.reply(reply, removal.ok(reply.requestId()));
                    return;
                }
            }
            case RESTART -> stats.iceRestartRequested();
            case END_OF_CANDIDATES -> {
            }
        }
        to.sink.event(new RoomEvent.Signal(roomId, memberId, kind.wire(), sdp, candidate, sdpMid,
                signal.sdpMLineIndex(), kind == SignalKind.OFFER ? signal.iceRestart() : null));
        stats.signalRelayed(kind.wire());
        sink.reply(reply, removal.ok(reply.requestId()));
    }

    /** What privacy mode left out of one signal, for the sender's {@code ok}. */
    private static final class Removal {
        int candidates;
        final TreeSet<String> attributes = new TreeSet<>();

        void attribute(String name) {
            attributes.add(name);
        }

        void add(StrippedCandidates stripped, List<String> names) {
            candidates += stripped.total();
            attributes.addAll(names);
        }

        ServerMessage.Ok ok(String requestId) {
            if (candidates == 0 && attributes.isEmpty()) {
                return new ServerMessage.Ok(requestId);
            }
            return new ServerMessage.Ok(requestId, new ServerMessage.Removed(candidates, List.copyOf(attributes)));
        }
    }

    /** The relay candidates this room forwards: allocations of this room on the relay. */
    private boolean admits(InetAddress address, int port) {
        return services.minter().admitsRelayCandidate(roomId, address, port);
    }

    /** The room is closing: everyone still in the call leaves, then the relay forgets the room. */
    void close(String reason) {
        for (String memberId : List.copyOf(participants.keySet())) {
            remove(memberId, reason);
        }
        if (policySet) {
            services.minter().roomClosed(roomId);
        }
    }

    // --- helpers ---

    /** The SDP to relay, or null after replying with the error. */
    private String checkedSdp(String sdp, MemberSink sink, Reply reply, Removal removal) {
        SdpValidation validation = services.sdpValidator().validate(sdp);
        if (validation instanceof SdpValidation.Invalid invalid) {
            reject(invalid, "SDP", sink, reply);
            return null;
        }
        String valid = ((SdpValidation.Valid) validation).sdp();
        if (!relayOnly) {
            return valid;
        }
        RelayOnlyResult rebuilt = services.relayOnlyFilter().filterSdp(valid, this::admits);
        if (rebuilt.isRefused()) {
            reject(new SdpValidation.Invalid(SdpRejection.NOT_REBUILDABLE, rebuilt.refusal()), "SDP", sink, reply);
            return null;
        }
        count(rebuilt.stripped());
        removal.add(rebuilt.stripped(), rebuilt.removedAttributes());
        return rebuilt.sdp();
    }

    /** The candidate to relay, "" when privacy mode stripped it, or null after replying with the error. */
    private String checkedCandidate(String candidate, MemberSink sink, Reply reply, Removal removal) {
        SdpValidation validation = services.sdpValidator().validateCandidate(candidate);
        if (validation instanceof SdpValidation.Invalid invalid) {
            reject(invalid, "candidate", sink, reply);
            return null;
        }
        if (!relayOnly) {
            return candidate;
        }
        TrickledCandidate verdict = services.relayOnlyFilter().filterCandidate(candidate, this::admits);
        if (verdict instanceof TrickledCandidate.Stripped stripped) {
            stats.candidatesStripped(stripped.kind().name().toLowerCase(Locale.ROOT), 1);
            removal.add(StrippedCandidates.of(stripped.kind()), List.of());
            return "";
        }
        TrickledCandidate.Kept kept = (TrickledCandidate.Kept) verdict;
        removal.add(StrippedCandidates.NONE, kept.removed());
        return kept.candidate();
    }

    private void reject(SdpValidation.Invalid invalid, String what, MemberSink sink, Reply reply) {
        String reason = invalid.reason().name().toLowerCase(Locale.ROOT);
        stats.sdpRejected(reason);
        // The detail may quote the input (addresses): debug level only, and never to other peers.
        log.debug("{} refused in room {}: {} ({})", what, roomId, reason, invalid.detail());
        sink.reply(reply, ServerMessage.Error.invalidSdp(reply.requestId(), reason,
                what + " refused (" + reason + "); it was not relayed"));
    }

    private void count(StrippedCandidates stripped) {
        if (stripped.total() == 0) {
            return;
        }
        for (CandidateKind kind : CandidateKind.values()) {
            int n = stripped.count(kind);
            if (n > 0) {
                stats.candidatesStripped(kind.name().toLowerCase(Locale.ROOT), n);
            }
        }
    }

    /** Fresh credentials for {@code p}, or null after replying {@code internal} (the minter refused). */
    private IceConfiguration mint(Participant p, Reply reply, boolean refresh) {
        Credentials credentials;
        try {
            credentials = services.minter().mint(roomId, p.turnId, services.credentialTtl());
        } catch (RuntimeException e) {
            log.warn("minting TURN credentials for room {} failed: {}", roomId, e.toString());
            p.sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.INTERNAL,
                    "could not mint TURN credentials"));
            return null;
        }
        if (refresh) {
            stats.credentialsRefreshed();
        } else {
            stats.credentialsMinted();
        }
        armRefresh(p.memberId, p, credentials.ttlSeconds());
        return services.iceServers().configuration(credentials, relayOnly);
    }

    private List<CallPeer> peersExcept(String memberId) {
        List<CallPeer> peers = new ArrayList<>(participants.size());
        for (Map.Entry<String, Participant> e : participants.entrySet()) {
            if (!e.getKey().equals(memberId)) {
                peers.add(view(e.getKey(), e.getValue()));
            }
        }
        return peers;
    }

    private static CallPeer view(String memberId, Participant p) {
        return new CallPeer(memberId, p.displayName, p.muted, p.camera, p.speaking);
    }

    private void broadcastExcept(String memberId, RoomEvent event) {
        for (Map.Entry<String, Participant> e : participants.entrySet()) {
            if (!e.getKey().equals(memberId)) {
                e.getValue().sink.event(event);
            }
        }
    }

    private void notInCall(MemberSink sink, Reply reply) {
        sink.reply(reply, ServerMessage.Error.of(reply.requestId(), ErrorCode.NOT_IN_CALL,
                "not in the call of room " + roomId));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
