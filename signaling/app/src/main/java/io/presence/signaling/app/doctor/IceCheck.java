package io.presence.signaling.app.doctor;

import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.IceProcessingState;

import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An ICE connectivity check between two relay-only agents, each knowing only the other's relayed candidate
 * (as in a relay-only room), followed by a few datagrams each way over the pair ICE selected. Both allocations
 * must be in the same room: the relay forwards between allocations of one room only.
 */
final class IceCheck {

    /** The outcome; {@code state} is ice4j's final processing state of the controlling agent. */
    record Result(boolean connected, String state, int sentEachWay, int receivedByControlled,
                  int receivedByControlling, Duration elapsed) {

        boolean passed() {
            return connected && receivedByControlled == sentEachWay && receivedByControlling == sentEachWay;
        }
    }

    private IceCheck() {
    }

    static Result run(ProbeAgent controlling, ProbeAgent controlled, int datagrams, Duration timeout)
            throws InterruptedException {
        long t0 = System.nanoTime();
        controlling.agent().setControlling(true);
        controlled.agent().setControlling(false);
        controlling.expectPeer(controlled);
        controlled.expectPeer(controlling);
        CountDownLatch over = new CountDownLatch(2);
        watch(controlling.agent(), over);
        watch(controlled.agent(), over);
        controlled.agent().startConnectivityEstablishment();
        controlling.agent().startConnectivityEstablishment();
        over.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        IceProcessingState state = controlling.agent().getState();
        CandidatePair a = controlling.selectedPair();
        CandidatePair b = controlled.selectedPair();
        boolean connected = state.isEstablished() && controlled.agent().getState().isEstablished()
                && a != null && b != null;
        int toB = 0;
        int toA = 0;
        if (connected) {
            Duration left = timeout.minusNanos(System.nanoTime() - t0);
            Duration wait = left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
            toB = exchange(a, b, "controlling", datagrams, wait);
            toA = exchange(b, a, "controlled", datagrams, wait);
        }
        return new Result(connected, state.toString(), datagrams, toB, toA,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static void watch(Agent agent, CountDownLatch over) {
        PropertyChangeListener listener = new PropertyChangeListener() {
            private boolean counted;

            @Override
            public synchronized void propertyChange(java.beans.PropertyChangeEvent e) {
                if (!counted && e.getNewValue() instanceof IceProcessingState s && (s.isEstablished() || s.isOver())) {
                    counted = true;
                    over.countDown();
                }
            }
        };
        agent.addStateChangeListener(listener);
        IceProcessingState now = agent.getState();
        if (now.isEstablished() || now.isOver()) {
            listener.propertyChange(new java.beans.PropertyChangeEvent(agent, "state", null, now));
        }
    }

    /** Sends {@code count} datagrams from {@code from} to {@code to}; returns how many {@code to} received. */
    private static int exchange(CandidatePair from, CandidatePair to, String who, int count, Duration wait) {
        try {
            DatagramSocket out = from.getDatagramSocket();
            DatagramSocket in = to.getDatagramSocket();
            for (int i = 0; i < count; i++) {
                byte[] data = ("presence doctor " + who + " " + i).getBytes(StandardCharsets.UTF_8);
                out.send(new DatagramPacket(data, data.length, from.getRemoteCandidate().getTransportAddress()));
            }
            long deadline = System.nanoTime() + wait.toNanos();
            int received = 0;
            byte[] buffer = new byte[1500];
            while (received < count) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    break;
                }
                in.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    in.receive(p);
                } catch (SocketTimeoutException timedOut) {
                    break;
                }
                String text = new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.UTF_8);
                if (text.startsWith("presence doctor " + who + " ")) {
                    received++;
                }
            }
            return received;
        } catch (IOException e) {
            return 0;
        }
    }
}
