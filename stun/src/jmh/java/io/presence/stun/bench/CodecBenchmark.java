package io.presence.stun.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.presence.stun.AttributeType;
import io.presence.stun.Ice4jDefaults;
import io.presence.stun.IntegrityKey;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.Lifetime;
import io.presence.stun.attr.RequestedTransport;
import io.presence.stun.codec.ChannelData;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.FingerprintAttribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * This module's codec beside plain ice4j doing the same work, in the same run. The ice4j side is written
 * the way a server built on ice4j has to: copy the datagram into a byte[], {@code Message.decode}, then
 * verify MESSAGE-INTEGRITY by hand with ice4j's {@code calculateHmacSha1} (a {@code Mac.getInstance} per
 * call) and {@code Arrays.equals}; encode with {@code MessageFactory} and add MESSAGE-INTEGRITY and
 * FINGERPRINT by hand (ice4j's own path needs a whole {@code StunStack} for the key).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dice4j.software=", "-Dio.netty.leakDetection.level=disabled"})
public class CodecBenchmark {
    static final String USER = "1767225600:room-42:participant-7";
    static final String REALM = "presence.example";
    static final String PASSWORD = "kV4c1m0X2yYd1y4iQ3lCkq1Q9nA=";

    IntegrityKey key;
    byte[] ice4jKey;
    byte[] allocate;
    ByteBuf allocateBuf;
    ByteBuf channelData;
    TransactionId tid;
    InetSocketAddress relayed;
    InetSocketAddress mapped;
    TransportAddress relayedIce4j;
    TransportAddress mappedIce4j;
    Request ice4jRequest;
    ByteBuf sendIndication;
    final io.presence.stun.codec.TurnIndication sendView = new io.presence.stun.codec.TurnIndication();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Ice4jDefaults.disableSoftware();
        key = IntegrityKey.longTerm(USER, REALM, PASSWORD);
        ice4jKey = key.bytes();
        tid = TransactionId.random();
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, Method.ALLOCATE, MessageClass.REQUEST, tid);
        RequestedTransport.write(w, RequestedTransport.UDP);
        Lifetime.write(w, 600);
        w.string(AttributeType.USERNAME, USER).string(AttributeType.REALM, REALM)
                .string(AttributeType.NONCE, "obMatJos2gAAAadl7W7PeDU4hKE72jda").messageIntegrity(key).fingerprint().finish();
        allocate = new byte[out.readableBytes()];
        out.readBytes(allocate);
        out.release();
        allocateBuf = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(allocate);
        channelData = PooledByteBufAllocator.DEFAULT.directBuffer().writeShort(0x4001).writeShort(160).writeZero(160);
        ByteBuf send = io.presence.stun.codec.TurnIndication.encodeSend(PooledByteBufAllocator.DEFAULT,
                new InetSocketAddress("198.51.100.9", 50000), Unpooled.wrappedBuffer(new byte[160]));
        sendIndication = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(send);
        send.release();
        relayed = new InetSocketAddress("203.0.113.10", 49170);
        mapped = new InetSocketAddress("198.51.100.77", 61234);
        relayedIce4j = new TransportAddress(relayed, Transport.UDP);
        mappedIce4j = new TransportAddress(mapped, Transport.UDP);
        ice4jRequest = (Request) Message.decode(allocate, 0, allocate.length);
        if (!decodeVerify() || !ice4jDecodeVerify()) {
            throw new IllegalStateException("benchmark input does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocateBuf.release();
        channelData.release();
        sendIndication.release();
    }

    // ---- decode + integrity check of an authenticated Allocate ----

    @Benchmark
    public boolean decodeVerify() throws Exception {
        StunMessage m = StunMessage.decode(allocateBuf);
        return m.verifyIntegrity(key);
    }

    @Benchmark
    public boolean ice4jDecodeVerify() throws Exception {
        byte[] bytes = new byte[allocateBuf.readableBytes()];
        allocateBuf.getBytes(allocateBuf.readerIndex(), bytes);
        Message m = Message.decode(bytes, 0, bytes.length);
        MessageIntegrityAttribute mi = (MessageIntegrityAttribute) m.getAttribute(Attribute.MESSAGE_INTEGRITY);
        int at = mi.getLocationInMessage();
        byte[] signed = Arrays.copyOf(bytes, at);
        int pretend = at + 24 - 20;
        signed[2] = (byte) (pretend >>> 8);
        signed[3] = (byte) pretend;
        byte[] hmac = MessageIntegrityAttribute.calculateHmacSha1(signed, 0, signed.length, ice4jKey);
        return Arrays.equals(hmac, mi.getHmacSha1Content());
    }

    // ---- encode + sign an Allocate success response ----

    @Benchmark
    public int encodeSign() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        StunMessageWriter w = StunMessageWriter.begin(out, Method.ALLOCATE, MessageClass.SUCCESS_RESPONSE, tid)
                .xorAddress(AttributeType.XOR_RELAYED_ADDRESS, relayed)
                .xorAddress(AttributeType.XOR_MAPPED_ADDRESS, mapped);
        Lifetime.write(w, 600);
        int n = w.messageIntegrity(key).fingerprint().finish();
        out.release();
        return n;
    }

    @Benchmark
    public int ice4jEncodeSign() throws Exception {
        Response r = MessageFactory.createAllocationResponse(ice4jRequest, mappedIce4j, relayedIce4j, 600);
        r.setTransactionID(ice4jRequest.getTransactionID());
        byte[] body = r.encode(null);
        byte[] signed = Arrays.copyOf(body, body.length + 24 + 8);
        int withMi = body.length + 24 - 20;
        signed[2] = (byte) (withMi >>> 8);
        signed[3] = (byte) withMi;
        byte[] hmac = MessageIntegrityAttribute.calculateHmacSha1(signed, 0, body.length, ice4jKey);
        int p = body.length;
        signed[p] = 0x00;
        signed[p + 1] = 0x08;
        signed[p + 2] = 0x00;
        signed[p + 3] = 0x14;
        System.arraycopy(hmac, 0, signed, p + 4, 20);
        int total = signed.length - 20;
        signed[2] = (byte) (total >>> 8);
        signed[3] = (byte) total;
        byte[] crc = FingerprintAttribute.calculateXorCRC32(signed, 0, p + 24);
        p += 24;
        signed[p] = (byte) 0x80;
        signed[p + 1] = 0x28;
        signed[p + 2] = 0x00;
        signed[p + 3] = 0x04;
        System.arraycopy(crc, 0, signed, p + 4, 4);
        ByteBuf out = Unpooled.wrappedBuffer(signed);
        int n = out.readableBytes();
        out.release();
        return n;
    }

    // ---- Send indication parse (hot path when clients do not use channels) ----

    @Benchmark
    public int sendIndicationParse() throws Exception {
        sendView.parse(sendIndication);
        return sendView.peerIpv4() + sendView.peerPort() + sendView.dataLength();
    }

    @Benchmark
    public int ice4jSendIndicationParse() throws Exception {
        byte[] bytes = new byte[sendIndication.readableBytes()];
        sendIndication.getBytes(sendIndication.readerIndex(), bytes);
        Message m = Message.decode(bytes, 0, bytes.length);
        org.ice4j.attribute.XorPeerAddressAttribute peer =
                (org.ice4j.attribute.XorPeerAddressAttribute) m.getAttribute(Attribute.XOR_PEER_ADDRESS);
        org.ice4j.attribute.DataAttribute data = (org.ice4j.attribute.DataAttribute) m.getAttribute(Attribute.DATA);
        return peer.getAddress(m.getTransactionID()).getPort() + data.getData().length;
    }

    // ---- ChannelData parse ----

    @Benchmark
    public int channelDataParse() throws Exception {
        int channel = ChannelData.parse(channelData, false);
        return channel + channelData.getUnsignedShort(channelData.readerIndex() + 2);
    }

    @Benchmark
    public int ice4jChannelDataParse() throws Exception {
        byte[] bytes = new byte[channelData.readableBytes()];
        channelData.getBytes(channelData.readerIndex(), bytes);
        org.ice4j.message.ChannelData cd = org.ice4j.message.ChannelData.decode(bytes, (char) 0, (char) bytes.length);
        return cd.getChannelNumber() + cd.getDataLength();
    }
}
