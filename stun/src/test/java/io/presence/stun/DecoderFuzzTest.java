package io.presence.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import io.presence.stun.attr.Address;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.EvenPort;
import io.presence.stun.attr.UnknownAttributes;
import io.presence.stun.attr.XorAddress;
import io.presence.stun.codec.ChannelData;
import io.presence.stun.codec.StunFrameDecoder;
import io.presence.stun.codec.TurnIndication;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property: every input, however mangled, ends in a decoded message or a {@link StunDecodeException} —
 * never another exception, never a hang, never a buffer left unreleased. 1,000,000 mutants of real
 * messages (RFC 5769 vectors, the Chrome capture, TURN messages the codec writes), from a fixed seed so a
 * failure reproduces; the failing input is printed in hex.
 */
@Timeout(180)
class DecoderFuzzTest {
    static final int INPUTS = 1_000_000;
    static final long SEED = 0x5EED_5707L;
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.1", 40000);
    static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 3478);
    static final IntegrityKey KEY = IntegrityKey.longTerm("user", "realm", "pass");
    private static ResourceLeakDetector.Level previous;
    private static final ListAppender<ILoggingEvent> LEAKS = new ListAppender<>();

    @BeforeAll
    static void paranoid() {
        previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        LEAKS.start();
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(LEAKS);
    }

    @AfterAll
    static void restore() {
        ResourceLeakDetector.setLevel(previous);
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).detachAppender(LEAKS);
    }

    /** Netty reports a leak when a tracked buffer is collected unreleased and a later allocation polls. */
    static void assertNettyReportedNoLeak() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 200; i++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
            }
        }
        List<String> leaks = LEAKS.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("LEAK")).toList();
        assertEquals(List.of(), leaks);
    }

    static byte[] write(int method, MessageClass cls, Consumer<StunMessageWriter> body) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, method, cls, TransactionId.random());
        body.accept(w);
        w.finish();
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        return b;
    }

    static List<byte[]> seeds() {
        List<byte[]> s = new ArrayList<>(List.of(Rfc5769Test.REQUEST, Rfc5769Test.IPV4_RESPONSE,
                Rfc5769Test.IPV6_RESPONSE, Rfc5769Test.LONG_TERM_REQUEST, ChromeAllocateTest.ALLOCATE,
                ChromeAllocateTest.UNAUTHORIZED, ChromeAllocateTest.AUTHENTICATED_ALLOCATE, ChromeAllocateTest.SUCCESS));
        InetSocketAddress v4 = new InetSocketAddress("192.0.2.1", 1234);
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::1", 4321);
        s.add(write(Method.CREATE_PERMISSION, MessageClass.REQUEST, w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, v4)
                .xorAddress(AttributeType.XOR_PEER_ADDRESS, v6).string(AttributeType.USERNAME, "u")
                .messageIntegrity(KEY).messageIntegritySha256(KEY).fingerprint()));
        s.add(write(Method.ALLOCATE, MessageClass.REQUEST, w -> {
            w.u32(AttributeType.REQUESTED_TRANSPORT, 17L << 24).u32(AttributeType.LIFETIME, 600);
            EvenPort.write(w, true);
            w.flag(AttributeType.DONT_FRAGMENT).u32(AttributeType.REQUESTED_ADDRESS_FAMILY, 1L << 24)
                    .u32(0x0031, 0).messageIntegrity(KEY);
        }));
        s.add(write(Method.ALLOCATE, MessageClass.ERROR_RESPONSE, w -> w.errorCode(420, "Unknown").unknownAttributes(0x31, 0x32)
                .address(AttributeType.OTHER_ADDRESS, v6).fingerprint()));
        s.add(write(Method.SEND, MessageClass.INDICATION, w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, v4)
                .attribute(AttributeType.DATA, new byte[] {1, 2, 3, 4, 5}).fingerprint()));
        s.add(write(Method.DATA, MessageClass.INDICATION, w -> w.xorAddress(AttributeType.XOR_PEER_ADDRESS, v6)
                .attribute(AttributeType.DATA, new byte[7])));
        s.add(Hex.bytes("40010005 68656c6c6f 000000"));
        return s;
    }

    static byte[] mutate(SplittableRandom r, List<byte[]> seeds) {
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        byte[] b;
        switch (r.nextInt(9)) {
            case 0 -> { // bit flips
                b = seed.clone();
                for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> { // random bytes at random places
                b = seed.clone();
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(seed, r.nextInt(seed.length + 1)); // truncation
            case 3 -> { // header length field set to something else
                b = seed.clone();
                int len = r.nextBoolean() ? r.nextInt(65536) : Math.max(0, b.length - 20 + 4 * (r.nextInt(9) - 4));
                b[2] = (byte) (len >>> 8);
                b[3] = (byte) len;
            }
            case 4 -> { // one attribute length changed, the header length kept consistent or not
                b = seed.clone();
                int pos = 20 + 4 * r.nextInt(Math.max(1, (b.length - 20) / 4));
                if (pos + 4 <= b.length) {
                    int len = r.nextBoolean() ? r.nextInt(65536) : r.nextInt(64);
                    b[pos + 2] = (byte) (len >>> 8);
                    b[pos + 3] = (byte) len;
                }
            }
            case 5 -> { // an attribute type changed (unknown, required, known-with-wrong-size)
                b = seed.clone();
                int pos = 20 + 4 * r.nextInt(Math.max(1, (b.length - 20) / 4));
                if (pos + 2 <= b.length) {
                    int[] types = {0x0001, 0x0008, 0x0009, 0x000A, 0x000C, 0x000D, 0x0012, 0x0013, 0x0017, 0x0018,
                            0x001C, 0x001D, 0x0020, 0x8028, 0x802C, r.nextInt(65536)};
                    int t = types[r.nextInt(types.length)];
                    b[pos] = (byte) (t >>> 8);
                    b[pos + 1] = (byte) t;
                }
            }
            case 6 -> { // random tail appended, header length adjusted
                byte[] tail = new byte[4 * r.nextInt(16)];
                r.nextBytes(tail);
                b = Arrays.copyOf(seed, seed.length + tail.length);
                System.arraycopy(tail, 0, b, seed.length, tail.length);
                int len = b.length - 20;
                if (b.length >= 4) {
                    b[2] = (byte) (len >>> 8);
                    b[3] = (byte) len;
                }
            }
            case 7 -> { // splice of two seeds
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                int cut = r.nextInt(seed.length + 1);
                int from = r.nextInt(other.length + 1);
                b = Arrays.copyOf(seed, cut + other.length - from);
                System.arraycopy(other, from, b, cut, other.length - from);
            }
            default -> { // pure noise with a valid-looking header
                b = new byte[20 + 4 * r.nextInt(32)];
                r.nextBytes(b);
                b[0] &= 0x3F;
                b[2] = (byte) ((b.length - 20) >>> 8);
                b[3] = (byte) (b.length - 20);
                b[4] = 0x21;
                b[5] = 0x12;
                b[6] = (byte) 0xA4;
                b[7] = 0x42;
            }
        }
        return b;
    }

    /** Reads everything a handler could read from a decoded message. */
    static void exercise(StunMessage m) {
        for (StunAttribute a : m.attributes()) {
            switch (a.type()) {
                case AttributeType.XOR_MAPPED_ADDRESS, AttributeType.XOR_PEER_ADDRESS, AttributeType.XOR_RELAYED_ADDRESS ->
                        XorAddress.decode(a);
                case AttributeType.MAPPED_ADDRESS, AttributeType.OTHER_ADDRESS, AttributeType.RESPONSE_ORIGIN,
                        AttributeType.ALTERNATE_SERVER -> Address.decode(a);
                case AttributeType.ERROR_CODE -> ErrorCode.decode(a);
                case AttributeType.UNKNOWN_ATTRIBUTES -> UnknownAttributes.decode(a);
                case AttributeType.EVEN_PORT -> EvenPort.reserveNext(a);
                case AttributeType.LIFETIME, AttributeType.REQUESTED_TRANSPORT, AttributeType.CHANNEL_NUMBER,
                        AttributeType.REQUESTED_ADDRESS_FAMILY -> a.u32(0);
                default -> a.utf8();
            }
        }
        m.verifyIntegrity(KEY);
        m.unknownComprehensionRequired();
    }

    static void assertAllReleased(List<ByteBuf> buffers, int i) {
        for (ByteBuf b : buffers) {
            assertEquals(0, b.refCnt(), "framer leaked an input before #" + i);
        }
        buffers.clear();
    }

    @Test
    void millionMutantsEndInAMessageOrATypedError() throws InterruptedException {
        List<byte[]> seeds = seeds();
        SplittableRandom random = new SplittableRandom(SEED);
        Map<DecodeFailure, Integer> failures = new EnumMap<>(DecodeFailure.class);
        TurnIndication indication = new TurnIndication();
        EmbeddedChannel framer = new EmbeddedChannel(new StunFrameDecoder(2048),
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                        if (!(cause instanceof StunDecodeException)) {
                            fail("framer raised " + cause);
                        }
                    }
                });
        List<ByteBuf> framerInputs = new ArrayList<>();
        EmbeddedChannel udp = io.presence.stun.server.TestServers.udpHandler();
        int answered = 0;
        int decoded = 0;
        int framed = 0;
        long slowestNanos = 0;
        long deadline = System.nanoTime() + 150_000_000_000L;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = mutate(random, seeds);
            long t0 = System.nanoTime();
            ByteBuf buf = (i & 15) == 0 ? PooledByteBufAllocator.DEFAULT.directBuffer(input.length).writeBytes(input)
                    : Unpooled.wrappedBuffer(input);
            try {
                try {
                    exercise(StunMessage.decode(buf));
                    decoded++;
                } catch (StunDecodeException e) {
                    failures.merge(e.reason(), 1, Integer::sum);
                }
                int channel = ChannelData.parse(buf, true);
                assertTrue(channel == -1 || ChannelData.isValidChannel(channel, true), "a channel number or -1");
                try {
                    if (indication.parse(buf)) {
                        indication.peerAddress();
                    }
                } catch (StunDecodeException e) {
                    // typed
                }
                if ((i & 31) == 7) {
                    // Through the UDP handler and dispatcher: whatever path the datagram takes (Binding, 400,
                    // ChannelData or Send left unhandled, decode failure), its buffer must be released.
                    ByteBuf datagram = PooledByteBufAllocator.DEFAULT.directBuffer(input.length).writeBytes(input);
                    udp.writeInbound(new io.netty.channel.socket.DatagramPacket(datagram, SERVER, CLIENT));
                    for (Object o; (o = udp.readOutbound()) != null; ) {
                        io.netty.util.ReferenceCountUtil.release(o);
                        answered++;
                    }
                    assertEquals(0, datagram.refCnt(), "dispatcher kept input #" + i);
                    assertTrue(udp.isActive());
                }
                if ((i & 63) == 0) {
                    // The framer may keep a partial frame: its input is checked when the channel is finished.
                    ByteBuf copy = PooledByteBufAllocator.DEFAULT.heapBuffer(input.length).writeBytes(input);
                    framerInputs.add(copy);
                    framer.writeInbound(copy);
                    for (ByteBuf f; (f = framer.readInbound()) != null; ) {
                        framed++;
                        f.release();
                    }
                    if (!framer.isActive() || (i & 4095) == 0) {
                        framer.finishAndReleaseAll();
                        assertAllReleased(framerInputs, i);
                        framer = new EmbeddedChannel(new StunFrameDecoder(2048),
                                new io.netty.channel.ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                                    }
                                });
                    }
                }
            } catch (Throwable t) {
                throw new AssertionError("input #" + i + " " + Hex.of(input) + " threw " + t, t);
            } finally {
                // (Unpooled's shared empty buffer, for a zero-length input, cannot be released.)
                assertTrue(buf == Unpooled.EMPTY_BUFFER || buf.release(), "input #" + i + " still referenced elsewhere");
            }
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - t0);
            if (System.nanoTime() > deadline) {
                fail("only " + i + " inputs before the deadline");
            }
        }
        framer.finishAndReleaseAll();
        assertAllReleased(framerInputs, INPUTS);
        assertTrue(decoded > 10_000, "mutants that still decode: " + decoded);
        assertTrue(failures.size() >= 8, "failure reasons seen: " + failures);
        assertTrue(framed > 0);
        assertTrue(answered > 0);
        assertTrue(!udp.finish());
        assertNettyReportedNoLeak();
        assertTrue(slowestNanos < 5_000_000_000L, "slowest input took " + slowestNanos / 1_000_000 + " ms");
        System.out.println("fuzz: " + INPUTS + " inputs, " + decoded + " decoded, failures " + failures
                + ", answered " + answered + ", slowest " + slowestNanos / 1000 + " us");
    }
}
