package io.presence.signaling.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one configuration value is read from text and checked against its bounds. The raw form is a
 * {@code String} (a YAML scalar or an environment variable) or a {@code List<String>} (a YAML sequence).
 *
 * @param <T> the typed value
 */
public interface ValueType<T> {

    /** Parses and validates; throws {@link Invalid} with the problem when the value is not acceptable. */
    T parse(Object raw) throws Invalid;

    /** The allowed values or range, as shown in error lines and the example configuration. */
    String allowed();

    /** Renders a value the way it is written in YAML. */
    default String render(T value) {
        return String.valueOf(value);
    }

    /** A value that did not pass; the message is the problem, without the key. */
    final class Invalid extends Exception {
        public Invalid(String problem) {
            super(problem, null, false, false);
        }
    }

    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>() {
            @Override
            public Integer parse(Object raw) throws Invalid {
                String text = scalar(raw).trim();
                int value;
                try {
                    value = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw new Invalid("not an integer");
                }
                if (value < min || value > max) {
                    throw new Invalid("out of range");
                }
                return value;
            }

            @Override
            public String allowed() {
                return min + ".." + max;
            }
        };
    }

    static ValueType<Boolean> bool() {
        return new ValueType<>() {
            @Override
            public Boolean parse(Object raw) throws Invalid {
                String text = scalar(raw).trim().toLowerCase(Locale.ROOT);
                return switch (text) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new Invalid("not a boolean");
                };
            }

            @Override
            public String allowed() {
                return "true or false";
            }
        };
    }

    /** Free text up to {@code maxLength}; {@code pattern} (may be null) must match the whole value. */
    static ValueType<String> text(int maxLength, String pattern, String patternDescription) {
        Pattern compiled = pattern == null ? null : Pattern.compile(pattern);
        return new ValueType<>() {
            @Override
            public String parse(Object raw) throws Invalid {
                String text = scalar(raw).trim();
                if (text.length() > maxLength) {
                    throw new Invalid("longer than " + maxLength + " characters");
                }
                if (compiled != null && !compiled.matcher(text).matches()) {
                    throw new Invalid("not " + patternDescription);
                }
                return text;
            }

            @Override
            public String allowed() {
                return patternDescription == null ? "text up to " + maxLength + " characters" : patternDescription;
            }

            @Override
            public String render(String value) {
                return value.isEmpty() ? "\"\"" : value;
            }
        };
    }

    static ValueType<String> oneOf(String... values) {
        List<String> options = List.of(values);
        return new ValueType<>() {
            @Override
            public String parse(Object raw) throws Invalid {
                String text = scalar(raw).trim().toLowerCase(Locale.ROOT);
                if (!options.contains(text)) {
                    throw new Invalid("unknown value");
                }
                return text;
            }

            @Override
            public String allowed() {
                return String.join(", ", options);
            }
        };
    }

    /** A duration written with a unit: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}. */
    static ValueType<Duration> duration(Duration min, Duration max) {
        Pattern form = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");
        return new ValueType<>() {
            @Override
            public Duration parse(Object raw) throws Invalid {
                Matcher m = form.matcher(scalar(raw).trim().toLowerCase(Locale.ROOT));
                if (!m.matches()) {
                    throw new Invalid("not a duration (write a number and a unit: ms, s, m, h or d)");
                }
                long n = Long.parseLong(m.group(1));
                Duration value = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                    throw new Invalid("out of range");
                }
                return value;
            }

            @Override
            public String allowed() {
                return format(min) + ".." + format(max);
            }

            @Override
            public String render(Duration value) {
                return format(value);
            }
        };
    }

    /** A byte size: a plain number of bytes or with a unit {@code KB MB GB} (powers of 1024). */
    static ValueType<Long> size(long min, long max) {
        Pattern form = Pattern.compile("(\\d{1,12})\\s*(b|kb|kib|mb|mib|gb|gib)?");
        return new ValueType<>() {
            @Override
            public Long parse(Object raw) throws Invalid {
                Matcher m = form.matcher(scalar(raw).trim().toLowerCase(Locale.ROOT));
                if (!m.matches()) {
                    throw new Invalid("not a size (a number of bytes, optionally with KB, MB or GB)");
                }
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "b" : m.group(2);
                long value = switch (unit.charAt(0)) {
                    case 'k' -> n << 10;
                    case 'm' -> n << 20;
                    case 'g' -> n << 30;
                    default -> n;
                };
                if (value < min || value > max) {
                    throw new Invalid("out of range");
                }
                return value;
            }

            @Override
            public String allowed() {
                return formatSize(min) + ".." + formatSize(max);
            }

            @Override
            public String render(Long value) {
                return formatSize(value);
            }
        };
    }

    /** A list of values of {@code element}: a YAML sequence, or comma-separated text (environment). */
    static <E> ValueType<List<E>> listOf(ValueType<E> element, int maxItems) {
        return new ValueType<>() {
            @Override
            public List<E> parse(Object raw) throws Invalid {
                List<String> items;
                if (raw instanceof List<?> list) {
                    items = new ArrayList<>();
                    for (Object o : list) {
                        items.add(String.valueOf(o));
                    }
                } else {
                    String text = scalar(raw).trim();
                    items = text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s*,\\s*"));
                }
                if (items.size() > maxItems) {
                    throw new Invalid("more than " + maxItems + " items");
                }
                List<E> out = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    try {
                        out.add(element.parse(items.get(i)));
                    } catch (Invalid e) {
                        throw new Invalid("item " + (i + 1) + " \"" + items.get(i) + "\": " + e.getMessage());
                    }
                }
                return List.copyOf(out);
            }

            @Override
            public String allowed() {
                return "a list of up to " + maxItems + " items, each " + element.allowed();
            }

            @Override
            public String render(List<E> value) {
                StringBuilder b = new StringBuilder("[");
                for (E e : value) {
                    if (b.length() > 1) {
                        b.append(", ");
                    }
                    b.append(element.render(e));
                }
                return b.append(']').toString();
            }
        };
    }

    private static String scalar(Object raw) throws Invalid {
        if (raw instanceof String s) {
            return s;
        }
        throw new Invalid("must be a single value, not a list or a section");
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    static String formatSize(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KB";
        }
        return Long.toString(bytes);
    }
}
