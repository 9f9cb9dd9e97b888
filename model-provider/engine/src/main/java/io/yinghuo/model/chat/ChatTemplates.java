package io.yinghuo.model.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.checkpoint.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds chat templates by name ({@link #byName}) or from a model folder ({@link #detect}).
 *
 * <p>Detection rules, first match wins:
 * <ol>
 *   <li><b>Names.</b> These names are checked in turn: the folder's own name (for a Hugging Face hub cache
 *       snapshot {@code models--Org--Name/snapshots/<rev>}, the {@code models--Org--Name} part), then
 *       {@code model_name_or_path} of quantize_config.json, then {@code _name_or_path} of config.json. Each name is
 *       lower-cased with {@code _} and spaces read as {@code -}; in it
 *       <ul>
 *         <li>{@code firefly} means {@code firefly} (checked first: Firefly names also contain "llama2-7b-chat");</li>
 *         <li>{@code alpaca-2} or {@code alpaca2} means {@code alpaca2};</li>
 *         <li>{@code llama-2-<size>b-chat} / {@code llama2-<size>b-chat} (Meta's naming) means
 *             {@code llama2-chat};</li>
 *         <li>in the folder name only: {@code llama-2-<size>b} / {@code chinese-llama-2} without "chat" (a base
 *             model) means {@code raw}. Config names are not trusted for this, because a fine-tuned model's
 *             {@code _name_or_path} often still names the base model it was trained from.</li>
 *       </ul></li>
 *   <li><b>tokenizer_config.json {@code chat_template}</b> containing both {@code [INST]} and {@code <<SYS>>}:
 *       {@code alpaca2} when config.json's {@code vocab_size} is 55296 (Chinese-Alpaca-2 uses the Llama-2-chat
 *       layout with its own system prompt), {@code llama2-chat} otherwise.</li>
 *   <li><b>config.json {@code vocab_size} 55296</b>, the Chinese-LLaMA-2 vocabulary: {@code alpaca2}, the chat
 *       model of that family and this project's main target.</li>
 *   <li>Otherwise {@code raw} (plain completion works with any model), reported as not recognised.</li>
 * </ol>
 * Missing files are skipped; a file that exists but is not valid JSON is an error.
 */
public final class ChatTemplates {

    /**
     * Size of the Chinese-LLaMA-2 / Chinese-Alpaca-2 vocabulary: LLaMA's 32000 pieces plus the added Chinese ones
     * (vocab_size in their config.json; the pieces of scripts/tokenizer/tokenizer.model).
     */
    public static final int CHINESE_LLAMA2_VOCAB_SIZE = 55296;

    private static final List<ChatTemplate> ALL = List.of(
            Alpaca2Template.INSTANCE, Llama2ChatTemplate.INSTANCE, FireflyTemplate.INSTANCE, RawTemplate.INSTANCE);

    private static final Pattern META_CHAT_NAME = Pattern.compile("llama-?2-[0-9.]+b-chat");
    private static final Pattern LLAMA2_BASE_NAME = Pattern.compile("llama-?2-[0-9.]+b|chinese-llama-?2");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatTemplates() {
    }

    public static ChatTemplate alpaca2() {
        return Alpaca2Template.INSTANCE;
    }

    public static ChatTemplate llama2Chat() {
        return Llama2ChatTemplate.INSTANCE;
    }

    public static ChatTemplate firefly() {
        return FireflyTemplate.INSTANCE;
    }

    public static ChatTemplate raw() {
        return RawTemplate.INSTANCE;
    }

    /** Every template, in the order of {@link #names()}. */
    public static List<ChatTemplate> all() {
        return ALL;
    }

    /** {@code [alpaca2, llama2-chat, firefly, raw]}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(ALL.size());
        for (ChatTemplate template : ALL) {
            names.add(template.name());
        }
        return List.copyOf(names);
    }

    /**
     * The template called {@code name} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException listing the valid names when there is none by that name
     */
    public static ChatTemplate byName(String name) {
        Objects.requireNonNull(name, "name");
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (ChatTemplate template : ALL) {
            if (template.name().equals(wanted)) {
                return template;
            }
        }
        throw new IllegalArgumentException("unknown chat template \"" + name + "\"; valid names: "
                + String.join(", ", names()));
    }

    /** The template for the model in {@code modelDir}; see the class comment for the rules. */
    public static ChatTemplate detect(Path modelDir) {
        return detectWithReason(modelDir).template();
    }

    /**
     * Like {@link #detect}, with the reason for the choice.
     *
     * @throws IllegalArgumentException when {@code modelDir} is not a directory
     * @throws ModelLoadException       when one of its JSON files cannot be read or parsed
     */
    public static TemplateDetection detectWithReason(Path modelDir) {
        Objects.requireNonNull(modelDir, "modelDir");
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("model folder " + modelDir + " does not exist or is not a directory");
        }
        Path dir = modelDir.toAbsolutePath().normalize();
        JsonNode config = readJson(dir.resolve("config.json"));
        JsonNode quantizeConfig = readJson(dir.resolve("quantize_config.json"));
        JsonNode tokenizerConfig = readJson(dir.resolve("tokenizer_config.json"));

        String folderName = folderName(dir);
        TemplateDetection byName = byFolderName(folderName);
        if (byName == null) {
            byName = byConfigName(textField(quantizeConfig, "model_name_or_path"),
                    "quantize_config.json model_name_or_path");
        }
        if (byName == null) {
            byName = byConfigName(textField(config, "_name_or_path"), "config.json _name_or_path");
        }
        if (byName != null) {
            return byName;
        }

        int vocabSize = config != null && config.path("vocab_size").canConvertToInt()
                ? config.path("vocab_size").asInt() : -1;
        if (chatTemplateText(tokenizerConfig).map(t -> t.contains("[INST]") && t.contains("<<SYS>>")).orElse(false)) {
            if (vocabSize == CHINESE_LLAMA2_VOCAB_SIZE) {
                return new TemplateDetection(alpaca2(), "tokenizer_config.json chat_template uses the Llama-2-chat"
                        + " [INST]/<<SYS>> layout and the vocabulary is Chinese-LLaMA-2's (" + vocabSize + ")", true);
            }
            return new TemplateDetection(llama2Chat(),
                    "tokenizer_config.json chat_template uses the Llama-2-chat [INST]/<<SYS>> layout", true);
        }
        if (vocabSize == CHINESE_LLAMA2_VOCAB_SIZE) {
            return new TemplateDetection(alpaca2(), "config.json vocab_size " + vocabSize
                    + " is the Chinese-LLaMA-2 vocabulary, whose chat model is Chinese-Alpaca-2", true);
        }
        return new TemplateDetection(raw(), "nothing in " + dir + " identifies a chat format (folder name \""
                + folderName + "\", vocab_size " + (vocabSize < 0 ? "unknown" : vocabSize)
                + "); using plain completion, choose one of " + String.join(", ", names()) + " to override",
                false);
    }

    private static TemplateDetection byFolderName(String folderName) {
        String name = normalise(folderName);
        ChatTemplate chat = chatTemplateForName(name);
        if (chat != null) {
            return new TemplateDetection(chat, "folder name \"" + folderName + "\" " + matchedWords(chat), true);
        }
        if (!name.contains("chat") && LLAMA2_BASE_NAME.matcher(name).find()) {
            return new TemplateDetection(raw(), "folder name \"" + folderName
                    + "\" names a LLaMA-2 base model (no \"chat\"), which continues text", true);
        }
        return null;
    }

    private static TemplateDetection byConfigName(String value, String source) {
        if (value == null) {
            return null;
        }
        ChatTemplate chat = chatTemplateForName(normalise(value));
        return chat == null ? null
                : new TemplateDetection(chat, source + " \"" + value + "\" " + matchedWords(chat), true);
    }

    private static ChatTemplate chatTemplateForName(String name) {
        if (name.contains("firefly")) {
            return firefly();
        }
        if (name.contains("alpaca-2") || name.contains("alpaca2")) {
            return alpaca2();
        }
        if (META_CHAT_NAME.matcher(name).find()) {
            return llama2Chat();
        }
        return null;
    }

    private static String matchedWords(ChatTemplate template) {
        if (template == firefly()) {
            return "contains \"firefly\"";
        }
        if (template == alpaca2()) {
            return "contains \"alpaca-2\"/\"alpaca2\"";
        }
        return "names a Llama-2 chat model (llama-2-<size>b-chat)";
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
    }

    /** The folder's name, or for a hub cache snapshot ({@code models--Org--Name/snapshots/<rev>}) the repo's. */
    private static String folderName(Path dir) {
        Path name = dir.getFileName();
        if (name == null) {
            return "";
        }
        Path parent = dir.getParent();
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("snapshots")) {
            Path repo = parent.getParent();
            if (repo != null && repo.getFileName() != null && repo.getFileName().toString().startsWith("models--")) {
                return repo.getFileName().toString();
            }
        }
        return name.toString();
    }

    private static String textField(JsonNode node, String field) {
        if (node == null || !node.path(field).isTextual()) {
            return null;
        }
        return node.path(field).asText();
    }

    /** {@code chat_template} is a string, or (newer tokenizers) a list of {name, template} objects. */
    private static Optional<String> chatTemplateText(JsonNode tokenizerConfig) {
        if (tokenizerConfig == null) {
            return Optional.empty();
        }
        JsonNode node = tokenizerConfig.path("chat_template");
        if (node.isTextual()) {
            return Optional.of(node.asText());
        }
        if (node.isArray()) {
            StringBuilder all = new StringBuilder();
            for (JsonNode entry : node) {
                all.append(entry.path("template").asText("")).append('\n');
            }
            return Optional.of(all.toString());
        }
        return Optional.empty();
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new ModelLoadException(file + " must hold a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }
}
