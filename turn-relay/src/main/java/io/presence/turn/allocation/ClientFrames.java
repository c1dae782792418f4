package io.presence.turn.allocation;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.presence.stun.StunDecodeException;
import io.presence.stun.codec.ChannelData;
import io.presence.stun.codec.TurnIndication;
import io.presence.turn.metrics.TurnMetrics;
import io.presence.turn.metrics.TurnMetrics.Drop;

/**
 * The client → peer data path (RFC 8656 §11.3, §12.6): a Send indication or ChannelData frame from an allocation's
 * client, checked and handed to {@link Allocation#sendToPeer}. The dispatcher calls it with the allocation it found by
 * 5-tuple; an allocation whose client has a socket of its own calls it itself ({@link Allocation#onChannelData}).
 *
 * <p>Buffer ownership: takes the frame and releases or forwards it. Thread-safe (one parser per event loop).
 */
public final class ClientFrames {
    // One parser per event loop: TurnIndication is a reusable, allocation-free view.
    private static final FastThreadLocal<TurnIndication> INDICATION = new FastThreadLocal<>() {
        @Override
        protected TurnIndication initialValue() {
            return new TurnIndication();
        }
    };

    private final TurnMetrics metrics;
    private final boolean legacyChannels;

    /** @param legacyChannels accept RFC 5766 channel numbers ({@link ChannelData#isValidChannel}) */
    public ClientFrames(TurnMetrics metrics, boolean legacyChannels) {
        this.metrics = metrics;
        this.legacyChannels = legacyChannels;
    }

    /** Whether {@code number} is a channel number clients may bind. */
    public boolean validChannel(int number) {
        return ChannelData.isValidChannel(number, legacyChannels);
    }

    /** ChannelData from the client of {@code a} (null: none live), at clock reading {@code now}. On the loop. */
    public void channelData(Allocation a, ByteBuf frame, long now) {
        if (a == null) {
            drop(frame, Drop.NO_ALLOCATION);
            return;
        }
        int number = ChannelData.parse(frame, legacyChannels);
        if (number < 0) {
            drop(frame, Drop.MALFORMED);
            return;
        }
        // RFC 8656 §12.6: ChannelData on a channel not bound (or lapsed) is discarded.
        ChannelBinding b = a.channel(number, now);
        if (b == null) {
            drop(frame, Drop.NO_CHANNEL);
            return;
        }
        a.sendToPeer(b.peer(), ChannelData.toPayload(frame), now);
    }

    /** A Send indication from the client of {@code a} (null: none live), at clock reading {@code now}. On the loop. */
    public void sendIndication(Allocation a, ByteBuf frame, long now) {
        if (a == null) {
            drop(frame, Drop.NO_ALLOCATION);
            return;
        }
        TurnIndication ind = INDICATION.get();
        try {
            if (!ind.parse(frame)) {
                drop(frame, Drop.MALFORMED);
                return;
            }
        } catch (StunDecodeException e) {
            drop(frame, Drop.MALFORMED);
            return;
        }
        // RFC 8489 §6.3.2: an indication with an unknown comprehension-required attribute is discarded.
        if (ind.hasUnknownComprehensionRequired()) {
            drop(frame, Drop.UNKNOWN_ATTRIBUTE);
            return;
        }
        a.sendToPeer(ind.peerAddress(), ind.toData(frame), now);
    }

    private void drop(ByteBuf frame, Drop why) {
        frame.release();
        metrics.drop(why);
    }
}
