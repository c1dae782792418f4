package io.presence.stun.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.presence.stun.AttributeType;
import io.presence.stun.Hex;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.ErrorCode;
import io.presence.stun.attr.UnknownAttributes;
import io.presence.stun.attr.XorAddress;
import io.presence.stun.codec.ChannelData;
import io.presence.stun.codec.TurnIndication;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatagramStunHandlerTest {
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.20", 50123);
    static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 3478);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StunMetrics metrics = new StunMetrics(registry);

    EmbeddedChannel channel(StunExtension extension) {
        StunDispatcher d = new StunDispatcher(new BindingService(metrics, Optional.empty()), extension, metrics);
        return new EmbeddedChannel(new DatagramStunHandler(d));
    }

    static ByteBuf request(int method, Consumer<StunMessageWriter> body) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, method, MessageClass.REQUEST, TransactionId.random());
        body.accept(w);
        w.finish();
        return out;
    }

    StunMessage exchange(EmbeddedChannel ch, ByteBuf request) throws Exception {
        boolean empty = request.capacity() == 0; // Unpooled's shared empty buffer is never released
        ch.writeInbound(new DatagramPacket(request, SERVER, CLIENT));
        assertEquals(empty ? 1 : 0, request.refCnt());
        DatagramPacket out = ch.readOutbound();
        if (out == null) {
            return null;
        }
        assertEquals(CLIENT, out.recipient());
        try {
            return StunMessage.decode(out.content());
        } finally {
            out.release();
        }
    }

    double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void bindingRequestGetsReflexiveAddressOnly() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        StunMessage response = exchange(ch, request(Method.BINDING, w -> { }));
        assertTrue(response.is(Method.BINDING, MessageClass.SUCCESS_RESPONSE));
        assertEquals(CLIENT, XorAddress.decode(response.first(AttributeType.XOR_MAPPED_ADDRESS)));
        assertEquals(1, response.attributes().size());
        assertEquals(32, response.size(), "20-byte request, 32-byte response");
        assertEquals(1.0, count("stun.binding.requests", "transport", "udp"));
        assertEquals(1.0, count("stun.binding.responses", "transport", "udp", "result", "success"));
        assertFalse(ch.finish());
    }

    @Test
    void fingerprintMirroredAndIntegrityIgnored() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        StunMessage response = exchange(ch, request(Method.BINDING, w -> w.string(AttributeType.USERNAME, "x")
                .messageIntegrity(io.presence.stun.IntegrityKey.shortTerm("pw")).fingerprint()));
        assertTrue(response.hasFingerprint());
        assertFalse(response.hasMessageIntegrity());
        assertFalse(ch.finish());
    }

    @Test
    void unknownComprehensionRequiredGets420() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        StunMessage response = exchange(ch, request(Method.BINDING, w -> w.u32(0x0031, 1).u32(0x8031, 1)));
        assertTrue(response.is(Method.BINDING, MessageClass.ERROR_RESPONSE));
        assertEquals(420, ErrorCode.decode(response.first(AttributeType.ERROR_CODE)).code());
        assertEquals("", ErrorCode.decode(response.first(AttributeType.ERROR_CODE)).reason());
        assertArrayEquals(new int[] {0x0031}, UnknownAttributes.decode(response.first(AttributeType.UNKNOWN_ATTRIBUTES)));
        assertEquals(1.0, count("stun.binding.responses", "transport", "udp", "result", "error"));
        assertFalse(ch.finish());
    }

    @Test
    void changeRequestGets420WithoutRfc5780() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        StunMessage response = exchange(ch, request(Method.BINDING, w -> w.u32(AttributeType.CHANGE_REQUEST, 0x06)));
        assertArrayEquals(new int[] {AttributeType.CHANGE_REQUEST},
                UnknownAttributes.decode(response.first(AttributeType.UNKNOWN_ATTRIBUTES)));
        assertFalse(ch.finish());
    }

    @Test
    void rfc5780RequestAttributesGet420WhenNotConfigured() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        StunMessage response = exchange(ch, request(Method.BINDING, w -> w.u32(AttributeType.RESPONSE_PORT, 4000L << 16)
                .attribute(AttributeType.PADDING, new byte[8])));
        assertArrayEquals(new int[] {AttributeType.PADDING, AttributeType.RESPONSE_PORT},
                UnknownAttributes.decode(response.first(AttributeType.UNKNOWN_ATTRIBUTES)));
        assertFalse(ch.finish());
    }

    @Test
    void noopMetricsRecordNothingAndNeedNoChecks() {
        StunMetrics.noop().bindingRequest(StunTransport.UDP);
        var empty = new io.micrometer.core.instrument.composite.CompositeMeterRegistry();
        StunMetrics noop = new StunMetrics(empty); // what noop() is made of
        noop.bindingRequest(StunTransport.UDP);
        noop.decodeFailure(StunTransport.TLS, io.presence.stun.DecodeFailure.FRAME_TOO_LARGE);
        noop.unhandled(StunTransport.TCP, StunMetrics.Unhandled.CHANNEL_DATA);
        assertEquals(0.0, empty.get("stun.binding.requests").tag("transport", "udp").counter().count());
    }

    @Test
    void everySeriesExistsAtZeroFromTheStart() {
        assertEquals(0.0, count("stun.decode.failures", "transport", "tls", "reason", "frame_too_large"));
        assertEquals(0.0, count("stun.unhandled.messages", "transport", "tcp", "type", "channel_data"));
        assertEquals(0.0, count("stun.stream.timeouts", "reason", "partial_frame"));
        assertEquals(3 * (2 + 1 + io.presence.stun.DecodeFailure.values().length + StunMetrics.Unhandled.values().length) + 2
                + StreamDeadlines.Expiry.values().length, registry.getMeters().size());
        registry.getMeters().forEach(m -> assertTrue(m.getId().getDescription() != null, m.getId().toString()));
    }

    @Test
    void unknownMethodGets400AndIsCounted() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        StunMessage response = exchange(ch, request(Method.ALLOCATE, w -> w.u32(AttributeType.REQUESTED_TRANSPORT, 17L << 24)));
        assertTrue(response.is(Method.ALLOCATE, MessageClass.ERROR_RESPONSE));
        assertEquals(400, ErrorCode.decode(response.first(AttributeType.ERROR_CODE)).code());
        assertEquals(28, response.size(), "no reason phrase");
        assertEquals(1.0, count("stun.unhandled.messages", "transport", "udp", "type", "request"));
        assertFalse(ch.finish());
    }

    @Test
    void garbageIsCountedDroppedAndTheSocketStaysOpen() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        for (String hex : new String[] {"", "ff", "8000000000000000", "0001000021120000" + "00".repeat(12),
                "000100042112a442" + "00".repeat(12)}) {
            assertNull(exchange(ch, Unpooled.wrappedBuffer(Hex.bytes(hex))));
        }
        assertTrue(ch.isActive());
        assertEquals(2.0, count("stun.decode.failures", "transport", "udp", "reason", "truncated"));
        assertEquals(2.0, count("stun.decode.failures", "transport", "udp", "reason", "not_stun"));
        assertEquals(1.0, count("stun.decode.failures", "transport", "udp", "reason", "bad_magic_cookie"));
        assertTrue(exchange(ch, request(Method.BINDING, w -> { })).is(Method.BINDING, MessageClass.SUCCESS_RESPONSE));
        assertFalse(ch.finish());
    }

    @Test
    void channelDataAndSendIndicationsWithoutTurnAreCountedAndReleased() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        assertNull(exchange(ch, Unpooled.wrappedBuffer(Hex.bytes("40010001 aa000000"))));
        assertNull(exchange(ch, TurnIndication.encodeSend(ch.alloc(), CLIENT, Unpooled.wrappedBuffer(new byte[3]))));
        assertEquals(1.0, count("stun.unhandled.messages", "transport", "udp", "type", "channel_data"));
        assertEquals(1.0, count("stun.unhandled.messages", "transport", "udp", "type", "send_indication"));
        assertFalse(ch.finish());
    }

    @Test
    void extensionGetsTurnTrafficAndOwnsIt() throws Exception {
        List<String> seen = new ArrayList<>();
        StunExtension turn = new StunExtension() {
            @Override
            public boolean onMessage(StunPeer peer, StunMessage message) {
                seen.add("message " + Method.name(message.method()));
                return true;
            }

            @Override
            public boolean onSendIndication(StunPeer peer, ByteBuf frame) {
                try {
                    TurnIndication view = new TurnIndication();
                    seen.add("send " + view.parse(frame) + " " + view.peerAddress().getPort());
                } catch (Exception e) {
                    seen.add(e.toString());
                } finally {
                    frame.release();
                }
                return true;
            }

            @Override
            public boolean onChannelData(StunPeer peer, ByteBuf frame) {
                try {
                    seen.add("channel " + Integer.toHexString(ChannelData.parse(frame, false)) + " "
                            + peer.transport().label()
                            + " " + peer.remoteAddress().getPort());
                    // Echo the payload back in place: the relay's zero-copy path.
                    peer.send(frame.retain());
                } catch (Exception e) {
                    seen.add(e.toString());
                } finally {
                    frame.release();
                }
                return true;
            }
        };
        EmbeddedChannel ch = channel(turn);
        assertNull(exchange(ch, request(Method.ALLOCATE, w -> { })));
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(Hex.bytes("40020002 abcd")), SERVER, CLIENT));
        DatagramPacket echoed = ch.readOutbound();
        assertEquals("40020002abcd", io.netty.buffer.ByteBufUtil.hexDump(echoed.content()));
        echoed.release();
        assertNull(exchange(ch, TurnIndication.encodeSend(ch.alloc(), new InetSocketAddress("192.0.2.9", 777),
                Unpooled.wrappedBuffer(new byte[3]))));
        assertEquals(List.of("message Allocate", "channel 4002 udp 50123", "send true 777"), seen);
        assertTrue(exchange(ch, request(Method.BINDING, w -> { })).is(Method.BINDING, MessageClass.SUCCESS_RESPONSE),
                "Binding stays with the server");
        assertFalse(ch.finish());
    }

    @Test
    void aFailingExtensionDoesNotCloseTheSocket() throws Exception {
        EmbeddedChannel ch = channel(new StunExtension() {
            @Override
            public boolean onMessage(StunPeer peer, StunMessage message) {
                throw new IllegalStateException("bug in a handler");
            }
        });
        assertNull(exchange(ch, request(Method.REFRESH, w -> { })));
        assertTrue(ch.isActive());
        assertTrue(exchange(ch, request(Method.BINDING, w -> { })).is(Method.BINDING, MessageClass.SUCCESS_RESPONSE));
        assertFalse(ch.finish());
    }

    @Test
    void bindingIndicationIsAQuietKeepalive() throws Exception {
        EmbeddedChannel ch = channel(StunExtension.NONE);
        ByteBuf ind = Unpooled.buffer();
        StunMessageWriter.begin(ind, Method.BINDING, MessageClass.INDICATION, TransactionId.random()).finish();
        assertNull(exchange(ch, ind));
        assertEquals(0.0, count("stun.unhandled.messages", "transport", "udp", "type", "indication"));
        assertFalse(ch.finish());
    }
}
