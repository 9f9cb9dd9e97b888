package io.yinghuo.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Hostile request bodies made from a valid one: random bytes, the valid body with its JSON tree damaged (a value
 * replaced by another type, a huge or out-of-range number, a lone surrogate, a long string, deep nesting; a field
 * removed, added or wrapped), or its bytes damaged (bit flips, truncation, invalid UTF-8 such as the overlong
 * {@code C0 AF} and the encoded surrogate {@code ED A0 80}). Everything comes from the given {@link Random}, so a
 * seed replays an input exactly.
 */
final class HostileJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * Marks a string value that {@link #write} replaces by raw JSON text (numbers Jackson would not write, escapes):
     * followed by an index into {@link #RAW_VALUES} or by "nest:" and a depth.
     */
    private static final String RAW = "@@raw:";

    /** Values JSON allows (and a few it does not) that a validator must refuse or bound. */
    private static final List<String> RAW_VALUES = List.of(
            "null", "true", "false", "0", "-1", "-0", "1.5", "2147483648", "-2147483649", "9223372036854775808",
            "123456789012345678901234567890", "1e999", "-1e999", "1e-999", "4.9e-324", "0.000000001", "NaN",
            "Infinity", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud83d\\ude00\"",
            "\"<script>alert(1)</script>\"", "\"../../etc/passwd\"", "\"%s%n\"", "[]", "{}", "[null]", "[1,\"a\",{}]",
            "{\"a\":1,\"a\":2}", "\"user\"", "\"assistant\"", "\"system\"", "\"tool\"", "\"function\"",
            "{\"type\":\"object\"}", "{\"type\":\"json_object\"}", "{\"$ref\":\"#\"}");

    private HostileJson() {
    }

    /** A hostile body made from {@code valid} (a JSON object). */
    static byte[] body(String valid, Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> randomBytes(random);
            case 1, 2 -> damageBytes(write(damageTree(valid, random), random), random);
            case 3 -> damageBytes(valid.getBytes(StandardCharsets.UTF_8), random);
            default -> write(damageTree(valid, random), random);
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(600)];
        random.nextBytes(bytes);
        if (bytes.length > 0 && random.nextBoolean()) {
            bytes[0] = '{';
        }
        return bytes;
    }

    /** One to four changes to the tree of {@code valid}. */
    private static JsonNode damageTree(String valid, Random random) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(valid);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + valid, e);
        }
        int changes = 1 + random.nextInt(4);
        boolean large = false; // one large value per body: the body stays under the server's 4 MB limit mostly
        for (int i = 0; i < changes; i++) {
            List<Slot> slots = new ArrayList<>();
            collect(root, slots);
            if (slots.isEmpty()) {
                return root;
            }
            Slot slot = slots.get(random.nextInt(slots.size()));
            int change = random.nextInt(6);
            if (change == 0) {
                slot.remove();
            } else if (change == 1) {
                slot.set(wrapped(slot.value(), random));
            } else {
                JsonNode value = hostileValue(random, !large);
                large |= isLarge(value);
                if (change == 2) {
                    slot.parentAdd(value, random);
                } else {
                    slot.set(value);
                }
            }
        }
        return root;
    }

    /** A value for a slot: with {@code mayBeLarge}, sometimes deep nesting, a long text or a long array. */
    private static JsonNode hostileValue(Random random, boolean mayBeLarge) {
        return switch (mayBeLarge ? random.nextInt(8) : 3) {
            case 0 -> NODES.textNode(RAW + "nest:"
                    + (random.nextBoolean() ? 40 + random.nextInt(40) : 5_000 + random.nextInt(200_000)));
            case 1 -> NODES.textNode(longText(random));
            case 2 -> {
                ArrayNode many = NODES.arrayNode();
                int count = random.nextBoolean() ? 1 + random.nextInt(100) : 1_000 + random.nextInt(20_000);
                JsonNode element = random.nextBoolean() ? NODES.textNode("你好") : NODES.objectNode()
                        .put("role", "user").put("content", "你好");
                for (int i = 0; i < count; i++) {
                    many.add(element.deepCopy()); // a shared node would multiply every later change made inside it
                }
                yield many;
            }
            default -> NODES.textNode(RAW + random.nextInt(RAW_VALUES.size()));
        };
    }

    private static boolean isLarge(JsonNode value) {
        return value.size() > 100 || value.asText("").length() > 5_000 || value.asText("").startsWith(RAW + "nest:");
    }

    private static String longText(Random random) {
        String unit = switch (random.nextInt(4)) {
            case 0 -> "问";
            case 1 -> "a";
            case 2 -> "\uD83D\uDE00";
            default -> "。\n";
        };
        return unit.repeat(random.nextBoolean() ? 1 + random.nextInt(5_000) : 100_000 + random.nextInt(300_000));
    }

    private static JsonNode wrapped(JsonNode value, Random random) {
        return random.nextBoolean() ? NODES.arrayNode().add(value) : NODES.objectNode().set("value", value);
    }

    /** The tree as bytes, each raw marker replaced by its JSON text. */
    private static byte[] write(JsonNode root, Random random) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder out = new StringBuilder(json.length());
        int at = 0;
        while (true) {
            int marker = json.indexOf('"' + RAW, at);
            if (marker < 0) {
                break;
            }
            int end = json.indexOf('"', marker + 1 + RAW.length());
            String name = json.substring(marker + 1 + RAW.length(), end);
            out.append(json, at, marker).append(name.startsWith("nest:") ? nesting(name, random)
                    : RAW_VALUES.get(Integer.parseInt(name)));
            at = end + 1;
        }
        return out.append(json, at, json.length()).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String nesting(String marker, Random random) {
        int depth = Integer.parseInt(marker.substring("nest:".length()));
        boolean objects = random.nextBoolean();
        String open = objects ? "{\"a\":" : "[";
        String close = objects ? "}" : "]";
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    /** Byte-level damage: flips, a cut, invalid UTF-8 put in, a slice repeated. */
    static byte[] damageBytes(byte[] bytes, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 16);
        out.writeBytes(bytes);
        byte[] damaged = out.toByteArray();
        switch (random.nextInt(5)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips && damaged.length > 0; i++) {
                    damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> damaged = java.util.Arrays.copyOf(damaged,
                    damaged.length == 0 ? 0 : random.nextInt(damaged.length));
            case 2 -> damaged = insert(damaged, random, INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size())));
            case 3 -> {
                int from = damaged.length == 0 ? 0 : random.nextInt(damaged.length);
                int to = Math.min(damaged.length, from + random.nextInt(64));
                byte[] slice = java.util.Arrays.copyOfRange(damaged, from, to);
                damaged = insert(damaged, random, slice);
            }
            default -> {
                byte[] noise = new byte[1 + random.nextInt(16)];
                random.nextBytes(noise);
                damaged = insert(damaged, random, noise);
            }
        }
        return damaged;
    }

    private static final List<byte[]> INVALID_UTF8 = List.of(
            new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xE4, (byte) 0xBD}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90,
                    (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});

    private static byte[] insert(byte[] bytes, Random random, byte[] piece) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + piece.length);
        out.write(bytes, 0, at);
        out.writeBytes(piece);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    // --- where in the tree a change can go ---

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                slots.add(new Slot(object, name, -1));
                collect(object.get(name), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    private record Slot(JsonNode parent, String field, int index) {
        JsonNode value() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }

        void parentAdd(JsonNode value, Random random) {
            if (parent instanceof ObjectNode object) {
                List<String> names = List.of("extra", "__proto__", "stream", "n", "max_tokens", "role", "", "问题");
                object.set(names.get(random.nextInt(names.size())), value);
            } else {
                ((ArrayNode) parent).add(value);
            }
        }
    }
}
