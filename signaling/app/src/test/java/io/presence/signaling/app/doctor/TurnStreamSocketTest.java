package io.presence.signaling.app.doctor;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ice4j's length-prefixed frames against TURN's stream framing, both ways. */
class TurnStreamSocketTest {

    /** A socket whose streams are in-memory. */
    private static final class MemorySocket extends Socket {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final InputStream toRead;

        MemorySocket(byte[] incoming) {
            toRead = new ByteArrayInputStream(incoming);
        }

        @Override
        public InputStream getInputStream() {
            return toRead;
        }

        @Override
        public OutputStream getOutputStream() {
            return written;
        }
    }

    private static byte[] stun(int bodyLength) {
        byte[] m = new byte[20 + bodyLength];
        m[0] = 0x00;
        m[1] = 0x01;
        m[2] = (byte) (bodyLength >> 8);
        m[3] = (byte) bodyLength;
        m[4] = 0x21;
        m[5] = 0x12;
        m[6] = (byte) 0xA4;
        m[7] = 0x42;
        Arrays.fill(m, 20, m.length, (byte) 7);
        return m;
    }

    private static byte[] channelData(int payload) {
        byte[] m = new byte[4 + payload];
        m[0] = 0x40;
        m[1] = 0x01;
        m[2] = (byte) (payload >> 8);
        m[3] = (byte) payload;
        Arrays.fill(m, 4, m.length, (byte) 9);
        return m;
    }

    private static byte[] prefixed(byte[] frame) {
        byte[] out = new byte[frame.length + 2];
        out[0] = (byte) (frame.length >> 8);
        out[1] = (byte) frame.length;
        System.arraycopy(frame, 0, out, 2, frame.length);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    @Test
    void outgoingFramesLoseTheirPrefixAndChannelDataIsPadded() throws Exception {
        MemorySocket raw = new MemorySocket(new byte[0]);
        TurnStreamSocket socket = new TurnStreamSocket(raw);
        byte[] binding = stun(8);
        byte[] data = channelData(5);
        byte[] all = concat(prefixed(binding), prefixed(data));
        // Written in uneven pieces, as a stream may be.
        OutputStream out = socket.getOutputStream();
        out.write(all, 0, 1);
        out.write(all, 1, 20);
        out.write(all, 21, all.length - 21);

        assertArrayEquals(concat(binding, data, new byte[3]), raw.written.toByteArray());
    }

    @Test
    void incomingMessagesGainThePrefixAndChannelDataPaddingIsDropped() throws Exception {
        byte[] data = channelData(6);
        byte[] response = stun(12);
        TurnStreamSocket socket = new TurnStreamSocket(new MemorySocket(concat(data, new byte[2], response)));
        InputStream in = socket.getInputStream();

        byte[] read = in.readAllBytes();

        assertArrayEquals(concat(prefixed(data), prefixed(response)), read);
        assertEquals(-1, in.read());
    }
}
