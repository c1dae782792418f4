package io.presence.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Strict typed access to the fields of one JSON object. No coercion: a number is not a string, a string is not a
 * number, and each failure names the field. Unknown fields are ignored so that newer clients can add optional ones.
 */
final class JsonFields {
    /** Longest accepted id-like string (request ids, room ids, client message ids, tokens). */
    static final int MAX_ID_LENGTH = 128;

    /** Where the values come from: a parsed tree's object, or the decoder's flat fast path ({@link FlatObject}). */
    interface Source {
        /** The value of field {@code name}, or null when absent. */
        JsonNode get(String name);
    }

    private final Source node;
    private final String prefix;

    JsonFields(ObjectNode node, String prefix) {
        this(node::get, prefix);
    }

    JsonFields(Source node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    String requiredString(String name, int maxLength) {
        String value = optionalString(name, maxLength);
        if (value == null) {
            throw new InvalidFieldException("missing field '" + path(name) + "'");
        }
        return value;
    }

    String optionalString(String name, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidFieldException("field '" + path(name) + "' must be a string");
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
            throw new InvalidFieldException("field '" + path(name) + "' is longer than " + maxLength + " characters");
        }
        return text;
    }

    String requiredId(String name) {
        String value = requiredString(name, MAX_ID_LENGTH);
        if (value.isEmpty()) {
            throw new InvalidFieldException("field '" + path(name) + "' must not be empty");
        }
        return value;
    }

    long requiredLong(String name, long min, long max) {
        Long value = optionalLong(name, min, max);
        if (value == null) {
            throw new InvalidFieldException("missing field '" + path(name) + "'");
        }
        return value;
    }

    Long optionalLong(String name, long min, long max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidFieldException("field '" + path(name) + "' must be an integer");
        }
        long v = value.longValue();
        if (v < min || v > max) {
            throw new InvalidFieldException("field '" + path(name) + "' must be between " + min + " and " + max);
        }
        return v;
    }

    boolean requiredBoolean(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidFieldException("missing field '" + path(name) + "'");
        }
        if (!value.isBoolean()) {
            throw new InvalidFieldException("field '" + path(name) + "' must be true or false");
        }
        return value.booleanValue();
    }

    Boolean optionalBoolean(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidFieldException("field '" + path(name) + "' must be true or false");
        }
        return value.booleanValue();
    }

    /** A nested object, or null when absent. */
    JsonFields optionalObject(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw new InvalidFieldException("field '" + path(name) + "' must be an object");
        }
        return new JsonFields(object, path(name) + ".");
    }

    private String path(String name) {
        return prefix + name;
    }
}
