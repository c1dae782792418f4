package io.presence.signaling.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A chat store whose writes complete when the test says so, in any order, or fail: stands in for a database.
 * Ids are assigned at completion, as {@link #store} is told. Not thread-safe.
 */
public final class ManualChatStore implements ChatStore {
    /** Every append made to any room, in order. */
    public final List<Append> appends = new ArrayList<>();

    public record Append(ChatDraft draft, CompletableFuture<AppendResult> result) {
    }

    @Override
    public ChatLog open(String roomId) {
        return new ChatLog() {
            @Override
            public CompletionStage<AppendResult> append(ChatDraft draft) {
                CompletableFuture<AppendResult> f = new CompletableFuture<>();
                appends.add(new Append(draft, f));
                return f;
            }

            @Override
            public CompletionStage<ChatPage> page(Long before, int limit) {
                return CompletableFuture.completedFuture(new ChatPage(List.of(), false));
            }
        };
    }

    /** Completes append {@code index} as written under {@code id}. */
    public void store(int index, long id) {
        Append a = appends.get(index);
        a.result().complete(new AppendResult.Stored(a.draft().withId(id)));
    }

    /** Fails append {@code index} as a store that cannot take it now (busy, or its database away). */
    public void failUnavailable(int index) {
        appends.get(index).result().completeExceptionally(
                new StorageUnavailableException("storage unavailable", new IllegalStateException("database away")));
    }

    /** Fails append {@code index}, as a write that did not happen. */
    public void fail(int index) {
        appends.get(index).result().completeExceptionally(new IllegalStateException("disk on fire"));
    }
}
