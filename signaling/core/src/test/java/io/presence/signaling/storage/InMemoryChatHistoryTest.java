package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryChatHistoryTest {
    static ChatMessageView msg(long id) {
        return new ChatMessageView(id, id * 10, "m", "u", "n", "t" + id, null, "c" + id);
    }

    static List<Long> ids(ChatPage p) {
        return p.messages().stream().map(ChatMessageView::id).toList();
    }

    @Test
    void keepsTheNewestAndPagesBackwards() {
        InMemoryChatHistory h = new InMemoryChatHistory(5);
        LongStream.rangeClosed(1, 8).forEach(i -> h.append(msg(i)));
        assertEquals(5, h.size());
        assertEquals(List.of(7L, 8L), ids(h.page(null, 2)));
        assertTrue(h.page(null, 2).hasMore());
        assertEquals(List.of(4L, 5L, 6L), ids(h.page(7L, 10)));
        assertFalse(h.page(7L, 10).hasMore());
        assertEquals(List.of(), ids(h.page(4L, 10)));
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(h.page(1000L, 10)));
        assertTrue(h.contains(4));
        assertFalse(h.contains(3));
        assertFalse(h.contains(9));
    }

    @Test
    void refusesIdsOutOfOrderAndToleratesZeroCapacity() {
        InMemoryChatHistory h = new InMemoryChatHistory(3);
        h.append(msg(5));
        assertThrows(IllegalArgumentException.class, () -> h.append(msg(5)));
        InMemoryChatHistory none = new InMemoryChatHistory(0);
        none.append(msg(1));
        assertEquals(List.of(), ids(none.page(null, 10)));
    }
}
