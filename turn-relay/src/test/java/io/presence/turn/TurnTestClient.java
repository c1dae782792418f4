package io.presence.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.presence.stun.AttributeType;
import io.presence.stun.IntegrityKey;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunDecodeException;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.ChannelNumber;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.RequestedTransport;
import io.presence.stun.attr.XorAddress;
import io.presence.stun.codec.TurnIndication;
import io.presence.turn.auth.TurnCredentials;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A small blocking TURN client over UDP built on the stun codec, for tests. Not thread-safe.
 */
public final class TurnTestClient implements AutoCloseable {
    private final DatagramSocket socket;
    private final java.net.Socket stream;
    private final InetSocketAddress server;
    private String username;
    private String password;
    private String realm;
    private String nonce;
    private IntegrityKey key;
    public InetSocketAddress relay;
    public long lifetime;

    public TurnTestClient(InetSocketAddress server) throws IOException {
        this(server, new DatagramSocket(new InetSocketAddress(server.getAddress(), 0)));
    }

    public TurnTestClient(InetSocketAddress server, DatagramSocket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        this.stream = null;
        socket.setSoTimeout(2000);
    }

    /** Over a connected TCP or TLS socket: messages are framed by their own length, ChannelData padded. */
    public TurnTestClient(java.net.Socket stream) throws IOException {
        this.server = (InetSocketAddress) stream.getRemoteSocketAddress();
        this.socket = null;
        this.stream = stream;
        stream.setSoTimeout(2000);
    }

    public TurnTestClient credentials(TurnCredentials c) {
        return credentials(c.username(), c.password());
    }

    public TurnTestClient credentials(String user, String pass) {
        this.username = user;
        this.password = pass;
        this.key = null;
        return this;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) (stream != null ? stream.getLocalSocketAddress() : socket.getLocalSocketAddress());
    }

    /** Sends raw bytes to the server. */
    public void sendRaw(byte[] bytes) throws IOException {
        if (stream != null) {
            stream.getOutputStream().write(bytes);
            stream.getOutputStream().flush();
            return;
        }
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    public void sendRaw(ByteBuf buf) throws IOException {
        try {
            sendRaw(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    /** The next datagram from anywhere, or null after the timeout. */
    public byte[] receiveRaw(int timeoutMillis) throws IOException {
        if (stream != null) {
            return receiveFrame(timeoutMillis);
        }
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[70000];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buf, p.getLength());
    }

    private byte[] receiveFrame(int timeoutMillis) throws IOException {
        stream.setSoTimeout(timeoutMillis);
        java.io.DataInputStream in = new java.io.DataInputStream(stream.getInputStream());
        byte[] head = new byte[4];
        try {
            in.readFully(head);
        } catch (SocketTimeoutException e) {
            return null;
        }
        int length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        boolean channel = (head[0] & 0xC0) == 0x40;
        int rest = channel ? (length + 3) & ~3 : StunMessage.HEADER_LENGTH - 4 + length;
        byte[] frame = new byte[4 + rest];
        System.arraycopy(head, 0, frame, 0, 4);
        in.readFully(frame, 4, rest);
        return channel ? Arrays.copyOf(frame, 4 + length) : frame;
    }

    /** Builds a request: body attributes, then (when we have credentials and a nonce) USERNAME/REALM/NONCE/MI. */
    public byte[] build(int method, TransactionId tid, boolean sign, Consumer<StunMessageWriter> body) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, method, MessageClass.REQUEST, tid);
        body.accept(w);
        if (sign && nonce != null && username != null) {
            w.string(AttributeType.USERNAME, username).string(AttributeType.REALM, realm)
                    .string(AttributeType.NONCE, nonce);
            if (key == null) {
                key = IntegrityKey.longTerm(username, realm, password);
            }
            w.messageIntegrity(key);
        }
        w.fingerprint();
        w.finish();
        return ByteBufUtil.getBytes(out);
    }

    /** Sends a request and waits for the response with its transaction id (skipping other datagrams). */
    public StunMessage transact(int method, boolean sign, Consumer<StunMessageWriter> body) throws IOException {
        TransactionId tid = TransactionId.random();
        sendRaw(build(method, tid, sign, body));
        return await(tid, 2000);
    }

    public StunMessage await(TransactionId tid, int timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            byte[] d = receiveRaw((int) left);
            if (d == null) {
                return null;
            }
            if (!StunMessage.isStun(d[0] & 0xFF)) {
                continue;
            }
            try {
                StunMessage m = StunMessage.decode(d, 0, d.length);
                if (m.transactionId().equals(tid)) {
                    return m;
                }
            } catch (StunDecodeException e) {
                throw new IOException(e);
            }
        }
    }

    /**
     * Sends a request signed when possible; on 401/438 learns REALM and NONCE and retries once signed (the
     * normal long-term credential dance). Returns the final response.
     */
    public StunMessage request(int method, Consumer<StunMessageWriter> body) throws IOException {
        StunMessage r = transact(method, true, body);
        if (r != null && r.messageClass() == MessageClass.ERROR_RESPONSE) {
            int code = code(r);
            if ((code == 401 || code == 438) && r.has(AttributeType.NONCE)) {
                realm = r.first(AttributeType.REALM).utf8();
                nonce = r.first(AttributeType.NONCE).utf8();
                key = null;
                r = transact(method, true, body);
            }
        }
        return r;
    }

    public static int code(StunMessage m) {
        if (m == null) {
            return -1;
        }
        if (m.messageClass() == MessageClass.SUCCESS_RESPONSE) {
            return 0;
        }
        return ErrorCode.decode(m.first(AttributeType.ERROR_CODE)).code();
    }

    /** Whether the response carries a MESSAGE-INTEGRITY that our key verifies. */
    public boolean signedByServer(StunMessage m) {
        return key != null && m.verifyIntegrity(key);
    }

    public StunMessage allocate() throws IOException {
        return allocate(w -> RequestedTransport.write(w, RequestedTransport.UDP));
    }

    public StunMessage allocate(Consumer<StunMessageWriter> body) throws IOException {
        StunMessage r = request(Method.ALLOCATE, body);
        if (code(r) == 0) {
            relay = XorAddress.decode(r.first(AttributeType.XOR_RELAYED_ADDRESS));
            lifetime = r.first(AttributeType.LIFETIME).u32(0);
        }
        return r;
    }

    public int refresh(long seconds) throws IOException {
        StunMessage r = request(Method.REFRESH, w -> w.u32(AttributeType.LIFETIME, seconds));
        if (code(r) == 0) {
            lifetime = r.first(AttributeType.LIFETIME).u32(0);
        }
        return code(r);
    }

    public int createPermission(InetSocketAddress... peers) throws IOException {
        return code(request(Method.CREATE_PERMISSION, w -> {
            for (InetSocketAddress p : peers) {
                w.xorAddress(AttributeType.XOR_PEER_ADDRESS, p);
            }
        }));
    }

    public int channelBind(int channel, InetSocketAddress peer) throws IOException {
        return code(request(Method.CHANNEL_BIND, w -> {
            ChannelNumber.write(w, channel);
            w.xorAddress(AttributeType.XOR_PEER_ADDRESS, peer);
        }));
    }

    public void send(InetSocketAddress peer, byte[] data) throws IOException {
        sendRaw(TurnIndication.encodeSend(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, peer, Unpooled.wrappedBuffer(data)));
    }

    public void sendChannel(int channel, byte[] data) throws IOException {
        int padding = stream != null ? (4 - (data.length & 3)) & 3 : 0;
        byte[] frame = new byte[4 + data.length + padding];
        frame[0] = (byte) (channel >>> 8);
        frame[1] = (byte) channel;
        frame[2] = (byte) (data.length >>> 8);
        frame[3] = (byte) data.length;
        System.arraycopy(data, 0, frame, 4, data.length);
        sendRaw(frame);
    }

    /** What arrived from the relay: a Data indication or ChannelData. */
    public record Delivery(int channel, InetSocketAddress peer, byte[] data) {
    }

    /** The next Data indication or ChannelData, or null after the timeout. */
    public Delivery receiveData(int timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            byte[] d = receiveRaw((int) left);
            if (d == null) {
                return null;
            }
            if ((d[0] & 0xC0) == 0x40) {
                int ch = ((d[0] & 0xFF) << 8) | (d[1] & 0xFF);
                int len = ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
                return new Delivery(ch, null, Arrays.copyOfRange(d, 4, 4 + len));
            }
            TurnIndication ind = new TurnIndication();
            ByteBuf b = Unpooled.wrappedBuffer(d);
            try {
                if (ind.parse(b) && !ind.isSend()) {
                    ByteBuf data = ind.toData(b);
                    return new Delivery(0, ind.peerAddress(), ByteBufUtil.getBytes(data));
                }
            } catch (StunDecodeException e) {
                throw new IOException(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (stream != null) {
                stream.close();
            } else {
                socket.close();
            }
        } catch (IOException e) {
            // closing a test socket
        }
    }
}
