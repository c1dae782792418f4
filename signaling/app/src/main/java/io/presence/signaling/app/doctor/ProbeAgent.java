package io.presence.signaling.app.doctor;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.RealmAttribute;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RelayedCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.AbstractCandidateHarvester;
import org.ice4j.ice.harvest.StunCandidateHarvest;
import org.ice4j.ice.harvest.StunCandidateHarvester;
import org.ice4j.ice.harvest.TurnCandidateHarvest;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.security.LongTermCredential;
import org.ice4j.socket.IceTcpSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.ice4j.socket.MultiplexingSocket;
import org.ice4j.stack.TransactionID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * One ice4j {@link Agent} with one component, gathering against one STUN/TURN server as an independent client
 * would: its only host candidate is on the route toward the server (the machine's other interfaces are not
 * gathered), then either a STUN Binding (server-reflexive) or a TURN Allocate (relayed) over UDP, TCP or TLS.
 * What the server answered is kept in a {@link Probe}. {@link #close()} frees the agent and its allocation.
 */
final class ProbeAgent implements AutoCloseable {
    /** How long closing waits for ice4j to free an agent (it releases in milliseconds when it does not deadlock). */
    static final Duration FREE_TIMEOUT = Duration.ofSeconds(5);


    private final Agent agent;
    private final IceMediaStream stream;
    /** Null when ice4j could not make one (the probe says why). */
    private final Component component;
    private final Probe probe;

    private ProbeAgent(Agent agent, IceMediaStream stream, Component component, Probe probe) {
        this.agent = agent;
        this.stream = stream;
        this.component = component;
        this.probe = probe;
    }

    /** STUN Binding over UDP: the probe's {@link Probe#mapped()} is the server-reflexive address. */
    static ProbeAgent stun(InetSocketAddress server, Duration connectTimeout) {
        Probe probe = new Probe();
        TransportAddress address = new TransportAddress(server, Transport.UDP);
        return gather(new RouteHost(address, RelayTransport.UDP, null, connectTimeout, probe),
                new RecordingStunHarvester(address, probe), probe, false);
    }

    /**
     * A TURN allocation over {@code transport} with {@code credential}; {@code tls} (for {@link RelayTransport#TLS})
     * decides which server certificates are accepted.
     */
    static ProbeAgent turn(InetSocketAddress server, RelayTransport transport, LongTermCredential credential,
                           SSLContext tls, Duration connectTimeout) {
        Probe probe = new Probe();
        TransportAddress address = new TransportAddress(server,
                transport == RelayTransport.UDP ? Transport.UDP : Transport.TCP);
        return gather(new RouteHost(address, transport, tls, connectTimeout, probe),
                new RecordingTurnHarvester(address, credential, probe), probe, true);
    }

    private static ProbeAgent gather(RouteHost host, AbstractCandidateHarvester server, Probe probe, boolean relay) {
        Ice4jQuiet.apply();
        Agent agent = new Agent();
        try {
            // Only the harvesters below: no interface enumeration, no mapping harvesters.
            agent.setUseDynamicPorts(false);
            agent.setTrickling(false);
            agent.addCandidateHarvester(host);
            agent.addCandidateHarvester(server);
            IceMediaStream stream = agent.createMediaStream("doctor");
            Component component = null;
            long t0 = System.nanoTime();
            try {
                component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
                for (LocalCandidate c : component.getLocalCandidates()) {
                    if (relay && c instanceof RelayedCandidate) {
                        probe.relayed(c.getTransportAddress());
                    }
                }
            } catch (IOException e) {
                if (probe.unreachableReason() == null) {
                    probe.unreachable(Diagnosis.describe(e));
                }
            }
            probe.elapsed(Duration.ofNanos(System.nanoTime() - t0));
            return new ProbeAgent(agent, stream, component, probe);
        } catch (RuntimeException e) {
            free(agent);
            throw e;
        }
    }

    Probe probe() {
        return probe;
    }

    /** The relayed candidate, or null. */
    LocalCandidate relayedCandidate() {
        if (component == null) {
            return null;
        }
        for (LocalCandidate c : component.getLocalCandidates()) {
            if (c instanceof RelayedCandidate) {
                return c;
            }
        }
        return null;
    }

    Agent agent() {
        return agent;
    }

    /**
     * Takes {@code remote}'s relayed candidate as this agent's only remote candidate, with its ICE credentials,
     * as the other side's offer would carry them in a relay-only call.
     */
    void expectPeer(ProbeAgent remote) {
        LocalCandidate theirs = remote.relayedCandidate();
        stream.setRemoteUfrag(remote.agent.getLocalUfrag());
        stream.setRemotePassword(remote.agent.getLocalPassword());
        component.addRemoteCandidate(new RemoteCandidate(theirs.getTransportAddress(), component,
                CandidateType.RELAYED_CANDIDATE, theirs.getFoundation(), theirs.getPriority(), null));
    }

    /** The pair ICE selected, once connectivity is established; null before. */
    CandidatePair selectedPair() {
        return component == null ? null : component.getSelectedPair();
    }

    @Override
    public void close() {
        free(agent);
    }

    /**
     * Frees an ice4j agent without letting it hang the caller: {@code Agent.free} can deadlock against a relayed
     * candidate's receive thread (the two take NetAccessManager's map and the relayed socket's packet list in
     * opposite orders), so it runs on a daemon thread and the caller stops waiting after {@link #FREE_TIMEOUT}. A
     * free stuck that way leaves daemon threads and a socket behind until the process ends; a probe's answer is
     * already in hand by then.
     */
    private static void free(Agent agent) {
        Thread freeing = new Thread(agent::free, "presence-doctor-free");
        freeing.setDaemon(true);
        freeing.start();
        try {
            freeing.join(FREE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The address this machine would send from toward {@code server} (no packet is sent). */
    static InetAddress routeTo(InetSocketAddress server) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(server);
            InetAddress local = s.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new IOException("no route to " + server.getAddress().getHostAddress());
            }
            return local;
        }
    }

    /**
     * The one host candidate: a UDP socket on the route toward the server, or a TCP (or TLS) connection to it.
     * ice4j's own TCP handling would connect without TLS and frame messages the ICE-TCP way, so the connection
     * is made here and handed to ice4j through {@link TurnStreamSocket}.
     */
    private static final class RouteHost extends AbstractCandidateHarvester {
        private final TransportAddress server;
        private final RelayTransport transport;
        private final SSLContext tls;
        private final Duration connectTimeout;
        private final Probe probe;

        RouteHost(TransportAddress server, RelayTransport transport, SSLContext tls, Duration connectTimeout,
                  Probe probe) {
            this.server = server;
            this.transport = transport;
            this.tls = tls;
            this.connectTimeout = connectTimeout;
            this.probe = probe;
        }

        @Override
        public boolean isHostHarvester() {
            return true;
        }

        @Override
        public Collection<LocalCandidate> harvest(Component component) {
            try {
                HostCandidate host;
                if (transport == RelayTransport.UDP) {
                    MultiplexingDatagramSocket socket = new MultiplexingDatagramSocket(
                            new InetSocketAddress(routeTo(server), 0));
                    host = new HostCandidate(new IceUdpSocketWrapper(socket), component, Transport.UDP);
                } else {
                    host = new HostCandidate(new IceTcpSocketWrapper(new MultiplexingSocket(
                            new TurnStreamSocket(connect()))), component, Transport.TCP);
                }
                component.addLocalCandidate(host);
                host.getStunStack().addSocket(host.getStunSocket(null));
                return List.of(host);
            } catch (IOException e) {
                probe.unreachable(Diagnosis.describe(e));
                return List.of();
            }
        }

        private Socket connect() throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(server, (int) connectTimeout.toMillis());
                socket.setTcpNoDelay(true);
                if (transport != RelayTransport.TLS) {
                    return socket;
                }
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, server.getHostString(),
                        server.getPort(), true);
                ssl.setSoTimeout((int) connectTimeout.toMillis());
                ssl.startHandshake();
                ssl.setSoTimeout(0);
                return ssl;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }
    }

    /** ice4j's STUN harvester, keeping what the server answered (a mapped address equal to the host's is dropped by ice4j as redundant). */
    private static final class RecordingStunHarvester extends StunCandidateHarvester {
        private final Probe probe;

        RecordingStunHarvester(TransportAddress server, Probe probe) {
            super(server);
            this.probe = probe;
        }

        @Override
        protected HostCandidate getHostCandidate(HostCandidate host) {
            return host;
        }

        @Override
        protected StunCandidateHarvest createHarvest(HostCandidate host) {
            return new StunCandidateHarvest(this, host) {
                @Override
                protected void processSuccess(Response response, Request request, TransactionID id) {
                    TransportAddress mapped = getMappedAddress(response);
                    if (mapped != null) {
                        probe.mapped(mapped);
                    }
                    super.processSuccess(response, request, id);
                }

                @Override
                protected boolean processErrorOrFailure(Response response, Request request, TransactionID id) {
                    record(probe, response);
                    return super.processErrorOrFailure(response, request, id);
                }
            };
        }
    }

    /** ice4j's TURN harvester on the connection {@link RouteHost} made, keeping the server's errors. */
    private static final class RecordingTurnHarvester extends TurnCandidateHarvester {
        private final Probe probe;

        RecordingTurnHarvester(TransportAddress server, LongTermCredential credential, Probe probe) {
            super(server, credential);
            this.probe = probe;
        }

        @Override
        protected HostCandidate getHostCandidate(HostCandidate host) {
            return host;
        }

        @Override
        protected TurnCandidateHarvest createHarvest(HostCandidate host) {
            return new TurnCandidateHarvest(this, host) {
                @Override
                protected boolean processErrorOrFailure(Response response, Request request, TransactionID id) {
                    record(probe, response);
                    return super.processErrorOrFailure(response, request, id);
                }
            };
        }
    }

    private static void record(Probe probe, Response response) {
        if (response == null || !response.isErrorResponse()) {
            return;
        }
        int code = 0;
        String reason = "";
        if (response.getAttribute(Attribute.ERROR_CODE) instanceof ErrorCodeAttribute error) {
            code = error.getErrorCode();
            reason = error.getReasonPhrase();
        }
        String realm = null;
        if (response.getAttribute(Attribute.REALM) instanceof RealmAttribute r && r.getRealm() != null) {
            realm = new String(r.getRealm(), StandardCharsets.UTF_8);
        }
        probe.error(code, reason, realm);
    }
}
