package io.presence.signaling.app.doctor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;

/**
 * A connected TCP or TLS socket to a TURN server, as ice4j's socket classes expect it. ice4j frames every
 * message on a stream socket with a two-byte length (RFC 4571, its ICE-TCP framing) and reads frames the same
 * way; a TURN server over TCP or TLS reads and writes STUN messages and ChannelData back to back, ChannelData
 * padded to a multiple of four bytes (RFC 8656 §12.5). This socket translates in both directions, so ice4j's
 * TURN client can allocate over TCP and TLS.
 */
final class TurnStreamSocket extends Socket {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    TurnStreamSocket(Socket connected) throws IOException {
        this.socket = connected;
        this.in = new FromServer(connected.getInputStream());
        this.out = new ToServer(connected.getOutputStream());
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public SocketChannel getChannel() {
        // ice4j reads a socket with a channel directly, past the translating stream.
        return null;
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** ice4j's length-prefixed frames in, the frames themselves out (ChannelData padded). */
    private static final class ToServer extends OutputStream {
        private final OutputStream out;
        private final byte[] header = new byte[2];
        private int headerFill;
        private byte[] frame;
        private int frameFill;

        ToServer(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            int end = off + len;
            while (off < end) {
                if (frame == null) {
                    header[headerFill++] = b[off++];
                    if (headerFill == 2) {
                        frame = new byte[((header[0] & 0xFF) << 8) | (header[1] & 0xFF)];
                        frameFill = 0;
                        headerFill = 0;
                    }
                } else {
                    int n = Math.min(end - off, frame.length - frameFill);
                    System.arraycopy(b, off, frame, frameFill, n);
                    off += n;
                    frameFill += n;
                }
                if (frame != null && frameFill == frame.length) {
                    out.write(frame);
                    if (isChannelData(frame)) {
                        int pad = (4 - frame.length % 4) % 4;
                        out.write(new byte[pad]);
                    }
                    out.flush();
                    frame = null;
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** The server's STUN messages and ChannelData in, each as an ice4j length-prefixed frame out. */
    private static final class FromServer extends InputStream {
        private final InputStream in;
        private byte[] pending = new byte[0];
        private int position;

        FromServer(InputStream in) {
            this.in = in;
        }

        @Override
        public synchronized int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position == pending.length && !nextFrame()) {
                return -1;
            }
            int n = Math.min(len, pending.length - position);
            System.arraycopy(pending, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return pending.length - position;
        }

        private boolean nextFrame() throws IOException {
            byte[] head = new byte[4];
            if (!readFully(head, true)) {
                return false;
            }
            int declared = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
            int length = isChannelData(head) ? 4 + declared : 20 + declared;
            byte[] framed = new byte[2 + length];
            framed[0] = (byte) (length >>> 8);
            framed[1] = (byte) length;
            System.arraycopy(head, 0, framed, 2, 4);
            byte[] rest = new byte[length - 4];
            readFully(rest, false);
            System.arraycopy(rest, 0, framed, 6, rest.length);
            if (isChannelData(head)) {
                readFully(new byte[(4 - length % 4) % 4], false);
            }
            pending = framed;
            position = 0;
            return true;
        }

        /** False at a clean end of stream before the first byte, when {@code endAllowed}. */
        private boolean readFully(byte[] b, boolean endAllowed) throws IOException {
            int filled = 0;
            while (filled < b.length) {
                int n = in.read(b, filled, b.length - filled);
                if (n < 0) {
                    if (filled == 0 && endAllowed) {
                        return false;
                    }
                    throw new EOFException("the TURN server closed the connection mid-message");
                }
                filled += n;
            }
            return true;
        }
    }

    /** ChannelData starts with a channel number in 0x4000-0x7FFF; STUN messages start with two zero bits. */
    static boolean isChannelData(byte[] firstBytes) {
        return (firstBytes[0] & 0xC0) == 0x40;
    }
}
