package io.yinghuo.model.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random schemas from the supported subset, shaped as LangChain4j emits them: nested objects (required and optional
 * properties, additionalProperties false or absent), arrays with and without minItems/maxItems, string enums,
 * scalars, type lists, anyOf, "any value", and $ref into $defs or to "#", recursive ones among them. Every recursion
 * has a way out (an optional property, an anyOf with null, or an array that may be empty), so finite valid
 * documents exist.
 */
final class RandomSchemas {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] NAMES = {"name", "age", "城市", "tags", "value", "children", "a\"b", "x y",
        "日期",
        "id", "next", "score", "ok", "k\\ey", "описание"};
    private static final String[] WORDS = {"red", "green", "蓝色", "黄", "say \"hi\"", "back\\slash", "tab\tbed", "",
        "line\nbreak", "😀", "Ünïcödé"};

    private final SplittableRandom random;
    private final ObjectNode defs = F.objectNode();
    private boolean rootRecursive;

    private RandomSchemas(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A random root schema. */
    static JsonNode generate(long seed) {
        return new RandomSchemas(seed).root();
    }

    private JsonNode root() {
        ObjectNode root;
        int shape = random.nextInt(10);
        if (shape < 7) {
            root = object(3);
        } else if (shape < 8) {
            root = (ObjectNode) array(3);
        } else {
            root = F.objectNode();
            ArrayNode anyOf = root.putArray("anyOf");
            anyOf.add(object(2));
            anyOf.add(schema(2));
        }
        if (rootRecursive && root.has("properties")) {
            // {"$ref": "#"} as an optional property: the whole schema again, one level down
            ((ObjectNode) root.get("properties")).set("parent", F.objectNode().put("$ref", "#"));
        }
        if (!defs.isEmpty()) {
            root.set("$defs", defs);
        }
        return root;
    }

    private JsonNode schema(int depth) {
        int choice = random.nextInt(depth <= 0 ? 8 : 14);
        return switch (choice) {
            case 0, 1 -> scalar("string");
            case 2 -> scalar("integer");
            case 3 -> scalar("number");
            case 4 -> scalar("boolean");
            case 5 -> scalar("null");
            case 6 -> enumeration();
            case 7 -> typeList();
            case 8, 9 -> object(depth - 1);
            case 10 -> array(depth - 1);
            case 11 -> anyOf(depth - 1);
            case 12 -> reference(depth - 1);
            default -> random.nextBoolean() ? F.objectNode() : F.objectNode().put("type", "object");
        };
    }

    private ObjectNode scalar(String type) {
        ObjectNode s = F.objectNode().put("type", type);
        if (random.nextInt(3) == 0) {
            s.put("description", "a " + type);
        }
        return s;
    }

    private JsonNode enumeration() {
        ObjectNode s = F.objectNode().put("type", "string");
        ArrayNode values = s.putArray("enum");
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            values.add(WORDS[random.nextInt(WORDS.length)]);
        }
        return s;
    }

    private JsonNode typeList() {
        ObjectNode s = F.objectNode();
        ArrayNode types = s.putArray("type");
        types.add(random.nextBoolean() ? "string" : "integer");
        types.add("null");
        return s;
    }

    private ObjectNode object(int depth) {
        ObjectNode s = F.objectNode().put("type", "object");
        ObjectNode properties = s.putObject("properties");
        ArrayNode required = F.arrayNode();
        List<String> names = new ArrayList<>(List.of(NAMES));
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            String name = names.remove(random.nextInt(names.size()));
            properties.set(name, schema(depth));
            if (random.nextInt(3) > 0) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        if (random.nextInt(4) > 0) {
            s.put("additionalProperties", false);
        }
        if (depth >= 2 && random.nextInt(6) == 0) {
            rootRecursive = true;
        }
        return s;
    }

    private JsonNode array(int depth) {
        ObjectNode s = F.objectNode().put("type", "array");
        s.set("items", schema(depth));
        if (random.nextInt(3) == 0) {
            int min = random.nextInt(3);
            s.put("minItems", min);
            if (random.nextBoolean()) {
                s.put("maxItems", min + random.nextInt(3));
            }
        }
        return s;
    }

    private JsonNode anyOf(int depth) {
        ObjectNode s = F.objectNode();
        ArrayNode branches = s.putArray("anyOf");
        int n = 2 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            branches.add(schema(depth));
        }
        return s;
    }

    /** A $ref to a definition: either a plain one, or a recursive linked-list / tree node. */
    private JsonNode reference(int depth) {
        String name = "Def" + defs.size();
        ObjectNode ref = F.objectNode().put("$ref", "#/$defs/" + name);
        defs.putNull(name); // reserves the name while the definition's own parts are generated
        if (random.nextBoolean()) {
            defs.set(name, schema(depth)); // compiled after its uses are collected; may itself refer further
            return ref;
        }
        ObjectNode node = F.objectNode().put("type", "object");
        defs.set(name, node);
        ObjectNode properties = node.putObject("properties");
        properties.set("value", schema(Math.min(depth, 1)));
        if (random.nextBoolean()) {
            ArrayNode anyOf = F.arrayNode();
            anyOf.add(ref.deepCopy());
            anyOf.add(F.objectNode().put("type", "null"));
            properties.set("next", F.objectNode().set("anyOf", anyOf));
            node.putArray("required").add("value").add("next");
        } else {
            properties.set("children", F.objectNode().put("type", "array").set("items", ref.deepCopy()));
            node.putArray("required").add("value");
        }
        node.put("additionalProperties", false);
        return ref;
    }
}
