package io.yinghuo.embeddings.rerank;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reranker folders written by the tests: a real ONNX model and a real HuggingFace tokenizer.json each, laid out as
 * the HuggingFace exports of BERT and XLM-RoBERTa cross-encoders are (see {@link Rerankers}), but with a model small
 * enough to predict. The model's logit for a pair is a sum over its tokens of a weight looked up per token (an
 * embedding table of one dimension, the first layer of every such model) — a bag of words, not attention, so a test
 * can compute the score a pair must get.
 *
 * <ul>
 *   <li>{@link #bert}: inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids}, output
 *       {@code logits} [batch, 1]; the tokenizer writes {@code [CLS] query [SEP] passage [SEP]}, pad id 0. A token's
 *       weight depends on its segment (the query's 长 and the passage's 长 weigh differently), padding is weighed
 *       only through the mask: {@code logit = bias + Σ mask · weight(segment, id)}.</li>
 *   <li>{@link #xlmr}: inputs {@code input_ids}, {@code attention_mask} only, a single output {@code score} [batch];
 *       {@code <s> query </s></s> passage </s>}, pad id 1. As XLM-R numbers positions by the ids that are not the
 *       pad id, the model counts them: {@code logit = Σ mask · weight(id) + 0.125 · #(id ≠ pad)}.</li>
 * </ul>
 */
final class TinyCrossEncoders {

    /** Characters both tokenizers know, one token each; anything else is the unknown token. */
    static final List<String> WORDS = List.of("长", "江", "全", "六", "千", "三", "百", "公", "里", "多", "黄", "河",
            "是", "中", "国", "第", "二", "大", "熊", "猫", "吃", "竹", "子", "的", "什", "么");

    static final List<String> BERT_SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    static final List<String> XLMR_SPECIALS = List.of("<s>", "<pad>", "</s>", "<unk>");

    static final float BERT_BIAS = -1f;
    /** What each real (not padding) token adds in the XLM-R model. */
    static final float XLMR_PER_TOKEN = 0.125f;
    /** The weight of padding: large, so that padding that was not masked would show in every score. */
    static final float PAD_WEIGHT = 8f;

    private TinyCrossEncoders() {
    }

    /** Weight of a token of the passage (segment 1) in the BERT model; all are exact in binary. */
    static float passageWeight(String token) {
        return switch (token) {
            case "长", "江" -> 0.5f;
            case "全", "公", "里" -> 0.25f;
            case "黄", "河" -> -0.5f;
            case "的" -> 1f / 256;
            case "[SEP]" -> 0.125f;
            case "[PAD]" -> PAD_WEIGHT;
            default -> 0f;
        };
    }

    /** Weight of a token of the query (segment 0) in the BERT model. */
    static float queryWeight(String token) {
        return switch (token) {
            case "[CLS]", "多", "[SEP]" -> 0.0625f;
            case "长", "江" -> 0.125f;
            case "的" -> -1f / 256;
            case "[PAD]" -> PAD_WEIGHT;
            default -> 0f;
        };
    }

    /** Weight of a token in the XLM-R model (one segment). */
    static float xlmrWeight(String token) {
        return switch (token) {
            case "长", "江" -> 0.5f;
            case "黄", "河" -> -0.5f;
            case "的" -> 1f / 256;
            case "<pad>" -> PAD_WEIGHT;
            default -> 0f;
        };
    }

    static List<String> bertVocabulary() {
        List<String> vocabulary = new ArrayList<>(BERT_SPECIALS);
        vocabulary.addAll(WORDS);
        return vocabulary;
    }

    static List<String> xlmrVocabulary() {
        List<String> vocabulary = new ArrayList<>(XLMR_SPECIALS);
        vocabulary.addAll(WORDS);
        return vocabulary;
    }

    /** The tokens of a text as both tokenizers split it: one per character (none of the texts has spaces). */
    static List<String> tokens(String text, String unknown) {
        List<String> tokens = new ArrayList<>();
        text.codePoints().forEach(c -> {
            String character = Character.toString(c);
            tokens.add(WORDS.contains(character) ? character : unknown);
        });
        return tokens;
    }

    /**
     * The logit the BERT model must give: {@code [CLS] query [SEP]} weighed as the query, {@code passage [SEP]} as
     * the passage, after cutting the longer of the two, one token at a time, until the pair fits in
     * {@code maxLength} (the tokenizer's longest_first truncation).
     */
    static double bertLogit(String query, String passage, int maxLength) {
        List<String> q = tokens(query, "[UNK]");
        List<String> p = tokens(passage, "[UNK]");
        while (q.size() + p.size() + 3 > maxLength) {
            (q.size() > p.size() ? q : p).remove((q.size() > p.size() ? q : p).size() - 1);
        }
        double logit = BERT_BIAS + queryWeight("[CLS]") + queryWeight("[SEP]") + passageWeight("[SEP]");
        for (String token : q) {
            logit += queryWeight(token);
        }
        for (String token : p) {
            logit += passageWeight(token);
        }
        return logit;
    }

    /** The logit the XLM-R model must give for {@code <s> query </s></s> passage </s>}. */
    static double xlmrLogit(String query, String passage) {
        List<String> pair = new ArrayList<>();
        pair.add("<s>");
        pair.addAll(tokens(query, "<unk>"));
        pair.addAll(List.of("</s>", "</s>"));
        pair.addAll(tokens(passage, "<unk>"));
        pair.add("</s>");
        double logit = 0;
        for (String token : pair) {
            logit += xlmrWeight(token) + XLMR_PER_TOKEN;
        }
        return logit;
    }

    /** A BERT cross-encoder folder: model.onnx and tokenizer.json. */
    static Path bert(Path folder) throws IOException {
        Files.createDirectories(folder);
        bertModel(bertVocabulary().size(), OnnxWriter.FLOAT).write(folder.resolve("model.onnx"));
        writeBertTokenizer(folder.resolve("tokenizer.json"));
        return folder;
    }

    /** An XLM-R cross-encoder folder laid out as the optimum export: onnx/model.onnx and tokenizer.json. */
    static Path xlmr(Path folder) throws IOException {
        xlmrModel().write(folder.resolve("onnx").resolve("model.onnx"));
        writeXlmrTokenizer(folder.resolve("tokenizer.json"));
        return folder;
    }

    /**
     * The BERT model with an embedding table of {@code rows} tokens per segment (fewer than the tokenizer's
     * vocabulary makes a model that fails at run time) and its logits cast to {@code outputType}.
     */
    static OnnxWriter bertModel(int rows, int outputType) {
        List<String> vocabulary = bertVocabulary();
        float[] table = new float[2 * rows];
        for (int id = 0; id < rows; id++) {
            String token = id < vocabulary.size() ? vocabulary.get(id) : "[UNK]";
            table[id] = queryWeight(token);
            table[rows + id] = passageWeight(token);
        }
        OnnxWriter model = new OnnxWriter()
                .input("input_ids", OnnxWriter.INT64)
                .input("attention_mask", OnnxWriter.INT64)
                .input("token_type_ids", OnnxWriter.INT64)
                .floats("table", new long[] {2L * rows}, table)
                .longs("rows", new long[0], rows)
                .longs("axes", new long[] {1}, 1)
                .floats("bias", new long[] {1}, BERT_BIAS)
                // a token's row: its id in its segment's half of the table
                .node("Mul", List.of("token_type_ids", "rows"), List.of("segment_offset"))
                .node("Add", List.of("input_ids", "segment_offset"), List.of("row"))
                .node("Gather", List.of("table", "row"), List.of("weight"), "axis", 0)
                .node("Cast", List.of("attention_mask"), List.of("mask"), "to", OnnxWriter.FLOAT)
                .node("Mul", List.of("weight", "mask"), List.of("masked"))
                .node("ReduceSum", List.of("masked", "axes"), List.of("sum"), "keepdims", 1)
                .node("Add", List.of("sum", "bias"), List.of(outputType == OnnxWriter.FLOAT ? "logits" : "logits32"));
        if (outputType != OnnxWriter.FLOAT) {
            model.node("Cast", List.of("logits32"), List.of("logits"), "to", outputType);
        }
        return model.output("logits", outputType, "batch", 1L);
    }

    static OnnxWriter xlmrModel() {
        List<String> vocabulary = xlmrVocabulary();
        float[] table = new float[vocabulary.size()];
        for (int id = 0; id < table.length; id++) {
            table[id] = xlmrWeight(vocabulary.get(id));
        }
        return new OnnxWriter()
                .input("input_ids", OnnxWriter.INT64)
                .input("attention_mask", OnnxWriter.INT64)
                .floats("table", new long[] {table.length}, table)
                .longs("pad", new long[0], XLMR_SPECIALS.indexOf("<pad>"))
                .floats("per_token", new long[0], XLMR_PER_TOKEN)
                .longs("axes", new long[] {1}, 1)
                .node("Gather", List.of("table", "input_ids"), List.of("weight"), "axis", 0)
                .node("Cast", List.of("attention_mask"), List.of("mask"), "to", OnnxWriter.FLOAT)
                .node("Mul", List.of("weight", "mask"), List.of("masked"))
                .node("Equal", List.of("input_ids", "pad"), List.of("is_pad"))
                .node("Not", List.of("is_pad"), List.of("is_token"))
                .node("Cast", List.of("is_token"), List.of("token"), "to", OnnxWriter.FLOAT)
                .node("Mul", List.of("token", "per_token"), List.of("position"))
                .node("Add", List.of("masked", "position"), List.of("term"))
                .node("ReduceSum", List.of("term", "axes"), List.of("score"), "keepdims", 0)
                .output("score", OnnxWriter.FLOAT, "batch");
    }

    static void writeBertTokenizer(Path file) throws IOException {
        List<String> vocabulary = bertVocabulary();
        Map<String, Object> json = tokenizerJson(BERT_SPECIALS, vocabulary);
        json.put("post_processor", Map.of(
                "type", "TemplateProcessing",
                "single", List.of(special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)),
                "pair", List.of(special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0), sequence("B", 1),
                        special("[SEP]", 1)),
                "special_tokens", Map.of(
                        "[CLS]", Map.of("id", "[CLS]", "ids", List.of(vocabulary.indexOf("[CLS]")),
                                "tokens", List.of("[CLS]")),
                        "[SEP]", Map.of("id", "[SEP]", "ids", List.of(vocabulary.indexOf("[SEP]")),
                                "tokens", List.of("[SEP]")))));
        json.put("decoder", Map.of("type", "WordPiece", "prefix", "##", "cleanup", true));
        json.put("model", Map.of("type", "WordPiece", "unk_token", "[UNK]", "continuing_subword_prefix", "##",
                "max_input_chars_per_word", 100, "vocab", ids(vocabulary)));
        new ObjectMapper().writeValue(file.toFile(), json);
    }

    static void writeXlmrTokenizer(Path file) throws IOException {
        List<String> vocabulary = xlmrVocabulary();
        Map<String, Object> json = tokenizerJson(XLMR_SPECIALS, vocabulary);
        json.put("post_processor", Map.of("type", "RobertaProcessing",
                "sep", List.of("</s>", vocabulary.indexOf("</s>")), "cls", List.of("<s>", vocabulary.indexOf("<s>")),
                "trim_offsets", true, "add_prefix_space", true));
        json.put("decoder", null);
        json.put("model", Map.of("type", "WordLevel", "unk_token", "<unk>", "vocab", ids(vocabulary)));
        new ObjectMapper().writeValue(file.toFile(), json);
    }

    private static Map<String, Object> tokenizerJson(List<String> specials, List<String> vocabulary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("truncation", null);
        json.put("padding", null);
        List<Map<String, Object>> added = new ArrayList<>();
        for (String special : specials) {
            added.add(Map.of("id", vocabulary.indexOf(special), "content", special, "single_word", false,
                    "lstrip", false, "rstrip", false, "normalized", false, "special", true));
        }
        json.put("added_tokens", added);
        Map<String, Object> normalizer = new LinkedHashMap<>();
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", true);
        normalizer.put("handle_chinese_chars", true);
        normalizer.put("strip_accents", null);
        normalizer.put("lowercase", false);
        json.put("normalizer", normalizer);
        json.put("pre_tokenizer", Map.of("type", "BertPreTokenizer"));
        return json;
    }

    private static Map<String, Integer> ids(List<String> vocabulary) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int id = 0; id < vocabulary.size(); id++) {
            ids.put(vocabulary.get(id), id);
        }
        return ids;
    }

    private static Map<String, Object> special(String token, int typeId) {
        return Map.of("SpecialToken", Map.of("id", token, "type_id", typeId));
    }

    private static Map<String, Object> sequence(String id, int typeId) {
        return Map.of("Sequence", Map.of("id", id, "type_id", typeId));
    }
}
