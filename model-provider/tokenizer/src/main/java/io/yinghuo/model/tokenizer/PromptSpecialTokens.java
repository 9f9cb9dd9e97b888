package io.yinghuo.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.yinghuo.model.checkpoint.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The special-token strings the Hugging Face slow {@code LlamaTokenizer} (legacy=True) cuts a prompt at, and whether
 * it adds BOS/EOS (transformers models/llama/tokenization_llama.py: the text is split on special and added tokens,
 * which map to their ids, and each remaining chunk is SentencePiece-encoded on its own, with its own dummy prefix).
 *
 * <p>The set is: the model's CONTROL and UNKNOWN pieces ({@code <s>}, {@code </s>}, {@code <unk>}), plus the tokens
 * named in the HF files beside {@code tokenizer.model} when present: {@code tokenizer_config.json} (the
 * {@code *_token} entries, {@code additional_special_tokens}, {@code added_tokens_decoder}, {@code add_bos_token},
 * {@code add_eos_token}), {@code special_tokens_map.json} and {@code added_tokens.json} (content to id). A token that
 * is neither given an id there nor a piece of the model is ignored, and so is one whose id lies outside the model's
 * vocabulary (Firefly-LLaMA2-13B's added_tokens.json adds {@code <pad>} = 32000, but its embedding has 32000 rows):
 * it stays ordinary text rather than becoming an id the model cannot take.
 *
 * <p>{@code lstrip}/{@code rstrip} flags are honoured (strip the whitespace before/after the token); all LLaMA files
 * set them false, and modern transformers treats plain-string entries as false too.
 */
final class PromptSpecialTokens {
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    static final String ADDED_TOKENS = "added_tokens.json";
    private static final String[] TOKEN_KEYS = {
        "bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"};

    record Token(String content, int id, boolean lstrip, boolean rstrip) {
    }

    private final Map<String, Token> byContent;
    private final int maxLength;
    private final java.util.Set<Character> firstChars = new java.util.HashSet<>();
    final boolean addBos;
    final boolean addEos;

    private PromptSpecialTokens(Map<String, Token> byContent, boolean addBos, boolean addEos) {
        this.byContent = byContent;
        this.maxLength = byContent.keySet().stream().mapToInt(String::length).max().orElse(0);
        byContent.keySet().forEach(content -> firstChars.add(content.charAt(0)));
        this.addBos = addBos;
        this.addEos = addEos;
    }

    /** Only the model's own CONTROL/UNKNOWN pieces; BOS added, EOS not (the LlamaTokenizer defaults). */
    static PromptSpecialTokens fromModel(PieceVocabulary vocab) {
        return new PromptSpecialTokens(modelTokens(vocab), true, false);
    }

    /** The model's pieces plus whatever the HF files in {@code directory} declare. */
    static PromptSpecialTokens load(Path directory, PieceVocabulary vocab) {
        Map<String, Token> tokens = modelTokens(vocab);
        Map<String, Integer> explicitIds = new LinkedHashMap<>();
        List<JsonNode> declared = new ArrayList<>();
        boolean addBos = true;
        boolean addEos = false;

        JsonNode added = readJson(directory.resolve(ADDED_TOKENS));
        if (added != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = added.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().canConvertToInt()) {
                    throw new ModelLoadException(directory.resolve(ADDED_TOKENS) + ": id of '" + e.getKey()
                            + "' is not an integer");
                }
                explicitIds.put(e.getKey(), e.getValue().asInt());
                declared.add(TextNode.valueOf(e.getKey()));
            }
        }
        JsonNode config = readJson(directory.resolve(TOKENIZER_CONFIG));
        if (config != null) {
            addBos = config.path("add_bos_token").asBoolean(true);
            addEos = config.path("add_eos_token").asBoolean(false);
            collectDeclared(config, declared);
            JsonNode decoderEntries = config.path("added_tokens_decoder");
            for (Iterator<Map.Entry<String, JsonNode>> it = decoderEntries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String content = e.getValue().path("content").asText(null);
                if (content != null) {
                    try {
                        explicitIds.put(content, Integer.parseInt(e.getKey()));
                    } catch (NumberFormatException ex) {
                        throw new ModelLoadException(directory.resolve(TOKENIZER_CONFIG)
                                + ": added_tokens_decoder key '" + e.getKey() + "' is not a token id");
                    }
                    declared.add(e.getValue());
                }
            }
        }
        JsonNode map = readJson(directory.resolve(SPECIAL_TOKENS_MAP));
        if (map != null) {
            collectDeclared(map, declared);
        }

        for (JsonNode node : declared) {
            String content = node.isTextual() ? node.asText() : node.path("content").asText(null);
            if (content == null || content.isEmpty()) {
                continue;
            }
            Integer id = explicitIds.get(content);
            if (id == null) {
                id = vocabularyId(vocab, content);
            }
            if (id == null || id < 0 || id >= vocab.size()) {
                continue;
            }
            boolean lstrip = node.path("lstrip").asBoolean(false);
            boolean rstrip = node.path("rstrip").asBoolean(false);
            Token previous = tokens.get(content);
            // A later object entry refines the flags; a plain string never overrides them.
            if (previous == null || node.isObject()) {
                tokens.put(content, new Token(content, id, lstrip, rstrip));
            }
        }
        return new PromptSpecialTokens(tokens, addBos, addEos);
    }

    /** The token strings with their ids (for diagnostics and tests). */
    Map<String, Integer> ids() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        byContent.values().forEach(t -> ids.put(t.content(), t.id()));
        return ids;
    }

    /**
     * Encodes a prompt: text between special tokens is spm-encoded chunk by chunk (each with its own dummy prefix;
     * empty chunks give nothing), special tokens become their ids, BOS/EOS as configured.
     */
    int[] encode(String text, BpeEncoder encoder, int bosId, int eosId) {
        List<Object> parts = split(text);
        IntArray ids = new IntArray(text.length() + 2);
        if (addBos) {
            ids.add(bosId);
        }
        for (int i = 0; i < parts.size(); i++) {
            Object part = parts.get(i);
            if (part instanceof Token token) {
                ids.add(token.id());
                continue;
            }
            String chunk = (String) part;
            if (i > 0 && ((Token) parts.get(i - 1)).rstrip()) {
                chunk = chunk.stripLeading();
            }
            if (i + 1 < parts.size() && ((Token) parts.get(i + 1)).lstrip()) {
                chunk = chunk.stripTrailing();
            }
            encoder.encode(chunk, ids);
        }
        if (addEos) {
            ids.add(eosId);
        }
        return ids.toArray();
    }

    /** Alternating text chunks (String) and tokens, cutting at the leftmost, then longest, token match. */
    private List<Object> split(String text) {
        List<Object> parts = new ArrayList<>();
        int chunkStart = 0;
        int i = 0;
        while (i < text.length()) {
            Token match = longestMatchAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            parts.add(text.substring(chunkStart, i));
            parts.add(match);
            i += match.content().length();
            chunkStart = i;
        }
        parts.add(text.substring(chunkStart));
        return parts;
    }

    private Token longestMatchAt(String text, int position) {
        if (!firstChars.contains(text.charAt(position))) {
            return null;
        }
        for (int length = Math.min(maxLength, text.length() - position); length > 0; length--) {
            Token token = byContent.get(text.substring(position, position + length));
            if (token != null) {
                return token;
            }
        }
        return null;
    }

    private static Map<String, Token> modelTokens(PieceVocabulary vocab) {
        Map<String, Token> tokens = new LinkedHashMap<>();
        for (int id = 0; id < vocab.size(); id++) {
            if (vocab.types[id] == PieceType.CONTROL || vocab.types[id] == PieceType.UNKNOWN) {
                tokens.put(vocab.pieces[id], new Token(vocab.pieces[id], id, false, false));
            }
        }
        return tokens;
    }

    private static Integer vocabularyId(PieceVocabulary vocab, String content) {
        int id = vocab.reserved.find(content);
        if (id < 0) {
            id = vocab.mergeable.find(content);
        }
        return id < 0 ? null : id;
    }

    private static void collectDeclared(JsonNode config, List<JsonNode> declared) {
        for (String key : TOKEN_KEYS) {
            JsonNode node = config.get(key);
            if (node != null && !node.isNull()) {
                declared.add(node);
            }
        }
        for (JsonNode node : config.path("additional_special_tokens")) {
            declared.add(node);
        }
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new ModelLoadException(file + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
