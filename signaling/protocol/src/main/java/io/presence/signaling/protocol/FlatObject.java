package io.presence.signaling.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The decoder's fast path: a frame that is one flat JSON object (every value a string, integer, boolean or null —
 * chat.send, live.signal, typing, ping and most other requests) read with the streaming parser into a small array
 * of fields, without databind's tree, maps and deserialization context. Anything else — nesting, floats, huge
 * integers, duplicate or too many fields, trailing tokens, any syntax error — is not handled here:
 * {@link #parse} returns null and the decoder takes its full tree path, which produces the same result it always
 * did (including the exact error message). {@code DecoderFuzzTest} checks that both paths agree.
 *
 * <p>Not thread-safe; one per frame.
 */
final class FlatObject implements JsonFields.Source {
    /** Requests have at most ~10 fields; beyond this the linear lookups stop being cheap: use the tree. */
    static final int MAX_FIELDS = 24;

    /** Every hot request fits (live.signal with requestId has 8 fields); more grow the arrays. */
    private static final int INITIAL_FIELDS = 8;

    private String[] names = new String[INITIAL_FIELDS];
    private JsonNode[] values = new JsonNode[INITIAL_FIELDS];
    private int size;

    private FlatObject() {
    }

    /** The frame's fields, or null when the frame needs the full decoder. Never throws. */
    static FlatObject parse(JsonFactory factory, byte[] frame, int offset, int length) {
        try (JsonParser p = factory.createParser(frame, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            FlatObject o = new FlatObject();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonNode value = switch (p.nextToken()) {
                    case VALUE_STRING -> TextNode.valueOf(p.getText());
                    case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                        case INT -> IntNode.valueOf(p.getIntValue());
                        case LONG -> LongNode.valueOf(p.getLongValue());
                        default -> null;
                    };
                    case VALUE_TRUE -> BooleanNode.TRUE;
                    case VALUE_FALSE -> BooleanNode.FALSE;
                    case VALUE_NULL -> NullNode.instance;
                    default -> null;
                };
                if (value == null || !o.add(name, value)) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return o;
        } catch (Exception e) {
            return null;
        }
    }

    /** An empty object, filled by {@link FlatObjectScanner}. */
    static FlatObject empty() {
        return new FlatObject();
    }

    /** Adds a field; false (and nothing added) for a duplicate name or one field too many: the tree decides. */
    boolean add(String name, JsonNode value) {
        if (size == MAX_FIELDS || get(name) != null) {
            return false;
        }
        if (size == names.length) {
            names = java.util.Arrays.copyOf(names, MAX_FIELDS);
            values = java.util.Arrays.copyOf(values, MAX_FIELDS);
        }
        names[size] = name;
        values[size++] = value;
        return true;
    }

    /** The fields in frame order, for tests comparing the two readers. */
    java.util.Map<String, JsonNode> asMap() {
        java.util.Map<String, JsonNode> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    @Override
    public JsonNode get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }
}
