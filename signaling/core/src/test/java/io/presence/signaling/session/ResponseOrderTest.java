package io.presence.signaling.session;

import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The places of one connection's responses, filled in any order, leave in order; events queue behind. */
class ResponseOrderTest {
    private final List<String> sent = new ArrayList<>();
    private int overflows;
    private final ResponseOrder.Output out = new ResponseOrder.Output() {
        @Override
        public void send(Connection connection, ServerMessage message) {
            sent.add(message instanceof ServerMessage.Ok ok ? ok.requestId() : "event");
        }

        @Override
        public void overflowed(Connection connection) {
            overflows++;
        }
    };

    private static ServerMessage ok(String id) {
        return new ServerMessage.Ok(id);
    }

    private static final ServerMessage EVENT = ServerMessage.Ping.INSTANCE;

    @Test
    void responsesFilledOutOfOrderLeaveInRequestOrder() {
        ResponseOrder order = new ResponseOrder(out, null, 1024);
        ResponseSlot a = order.reserve();
        ResponseSlot b = order.reserve();
        ResponseSlot c = order.reserve();
        c.respond(ok("c"));
        b.respond(ok("b"));
        assertEquals(List.of(), sent, "a is still on its way");
        a.respond(ok("a"));
        assertEquals(List.of("a", "b", "c"), sent);
    }

    @Test
    void aPlaceFilledWithNothingSendsNothingAndHoldsNothingBack() {
        ResponseOrder order = new ResponseOrder(out, null, 1024);
        ResponseSlot quiet = order.reserve();
        ResponseSlot loud = order.reserve();
        loud.respond(ok("loud"));
        quiet.respond(null);
        assertEquals(List.of("loud"), sent);
    }

    @Test
    void eventsGoAtOnceWhenNothingWaitsAndElseBehindThePlacesTakenBeforeThem() {
        ResponseOrder order = new ResponseOrder(out, null, 1024);
        order.send(EVENT);
        assertEquals(List.of("event"), sent);
        ResponseSlot a = order.reserve();
        order.send(EVENT);
        ResponseSlot b = order.reserve();
        b.respond(ok("b"));
        assertEquals(List.of("event"), sent);
        a.respond(ok("a"));
        assertEquals(List.of("event", "a", "event", "b"), sent);
    }

    @Test
    void aSecondFillOrAForeignPlaceChangesNothing() {
        ResponseOrder order = new ResponseOrder(out, null, 1024);
        ResponseSlot a = order.reserve();
        a.respond(ok("a"));
        a.respond(ok("again"));
        order.fill(17, ok("foreign"));
        ResponseSlot b = order.reserve();
        b.respond(ok("b"));
        assertEquals(List.of("a", "b"), sent);
    }

    @Test
    void manyPlacesFilledInReverseLeaveInOrder() {
        ResponseOrder order = new ResponseOrder(out, null, 1024);
        List<ResponseSlot> slots = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            slots.add(order.reserve());
        }
        for (int i = 299; i >= 0; i--) {
            slots.get(i).respond(ok(Integer.toString(i)));
        }
        assertEquals(java.util.stream.IntStream.range(0, 300).mapToObj(Integer::toString)
                .collect(Collectors.toList()), sent);
    }

    @Test
    void moreWaitingThanTheBoundOverflowsOnceAndSendsNothingMore() {
        ResponseOrder order = new ResponseOrder(out, null, 4);
        ResponseSlot stuck = order.reserve();
        for (int i = 0; i < 4; i++) {
            order.send(EVENT);
        }
        assertEquals(0, overflows, "four may wait");
        order.send(EVENT);
        order.send(EVENT);
        assertEquals(1, overflows);
        stuck.respond(ok("late"));
        order.send(EVENT);
        assertEquals(List.of(), sent);
    }
}
