package io.presence.signaling.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The field names of requests and the request types and signal kinds, as shared constants: the scanner returns
 * these instead of a new String (and its byte array) for each of the 5–8 names and the type of every frame, which
 * was about a third of the bytes the server allocated per relayed signal. Same characters, so same equality.
 */
final class KnownStrings {
    private static final String[] WORDS = {
        "type", "requestId", "roomId", "to", "kind", "sdp", "candidate", "sdpMid", "sdpMLineIndex", "iceRestart",
        "clientMsgId", "text", "replyTo", "before", "limit", "active", "muted", "camera", "speaking", "relayOnly",
        "version", "displayName", "avatarUrl",
        "live.signal", "chat.send", "typing", "ping", "pong", "live.state", "offer", "answer", "end-of-candidates",
        "restart"};
    /** Index by length, then first byte; the chains are short (a few words share a length). */
    private static final byte[][][] BY_LENGTH = new byte[32][][];
    private static final String[][] STRINGS_BY_LENGTH = new String[32][];

    static {
        for (int len = 0; len < BY_LENGTH.length; len++) {
            int n = 0;
            for (String w : WORDS) {
                n += w.length() == len ? 1 : 0;
            }
            BY_LENGTH[len] = new byte[n][];
            STRINGS_BY_LENGTH[len] = new String[n];
            int i = 0;
            for (String w : WORDS) {
                if (w.length() == len) {
                    BY_LENGTH[len][i] = w.getBytes(StandardCharsets.US_ASCII);
                    STRINGS_BY_LENGTH[len][i++] = w;
                }
            }
        }
    }

    private KnownStrings() {
    }

    /** The constant spelled by {@code length} bytes at {@code start}, or null. */
    static String find(byte[] b, int start, int length) {
        if (length >= BY_LENGTH.length) {
            return null;
        }
        byte[][] candidates = BY_LENGTH[length];
        for (int i = 0; i < candidates.length; i++) {
            if (java.util.Arrays.equals(candidates[i], 0, length, b, start, start + length)) {
                return STRINGS_BY_LENGTH[length][i];
            }
        }
        return null;
    }
}
