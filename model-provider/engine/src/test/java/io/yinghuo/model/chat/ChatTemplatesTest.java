package io.yinghuo.model.chat;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.generate.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatTemplatesTest {

    @TempDir
    Path tmp;

    @Test
    void byNameFindsEveryTemplateIgnoringCase() {
        assertEquals(List.of("alpaca2", "llama2-chat", "firefly", "raw"), ChatTemplates.names());
        assertEquals(ChatTemplates.names(), ChatTemplates.all().stream().map(ChatTemplate::name).toList());
        for (ChatTemplate template : ChatTemplates.all()) {
            assertSame(template, ChatTemplates.byName(template.name()));
            assertSame(template, ChatTemplates.byName(" " + template.name().toUpperCase() + " "));
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChatTemplates.byName("vicuna"));
        assertEquals("unknown chat template \"vicuna\"; valid names: alpaca2, llama2-chat, firefly, raw",
                e.getMessage());
    }

    @Test
    void folderNamesDecide() throws IOException {
        assertDetected("alpaca2", folder("Chinese-Alpaca-2-7B-GPTQ"));
        assertDetected("alpaca2", folder("chinese_alpaca2_13b"));
        assertDetected("firefly", folder("firefly-llama2-7B-chat-GPTQ"));
        assertDetected("llama2-chat", folder("Llama-2-13B-chat-GPTQ"));
        assertDetected("llama2-chat", folder("llama2-7b-chat"));
        assertDetected("raw", folder("Llama-2-7B-GPTQ"));
        assertDetected("raw", folder("chinese-llama-2-13b"));
        // Hub cache layout: the snapshot folder is a revision hash, the repo name is two levels up.
        Path snapshot = tmp.resolve("models--TheBloke--Chinese-Alpaca-2-13B-GPTQ/snapshots/0123abcd");
        Files.createDirectories(snapshot);
        assertDetected("alpaca2", snapshot);
        TemplateDetection detection = ChatTemplates.detectWithReason(folder("Chinese-Alpaca-2-7B-GPTQ"));
        assertTrue(detection.recognised());
        assertEquals("folder name \"Chinese-Alpaca-2-7B-GPTQ\" contains \"alpaca-2\"/\"alpaca2\"", detection.reason());
        assertEquals("folder name \"firefly-llama2-7B-chat-GPTQ\" contains \"firefly\"",
                ChatTemplates.detectWithReason(tmp.resolve("firefly-llama2-7B-chat-GPTQ")).reason());
        assertEquals("folder name \"llama2-7b-chat\" names a Llama-2 chat model (llama-2-<size>b-chat)",
                ChatTemplates.detectWithReason(tmp.resolve("llama2-7b-chat")).reason());
    }

    @Test
    void folderNameWinsOverConfigNames() throws IOException {
        Path dir = folder("Chinese-Alpaca-2-7B-GPTQ");
        Files.writeString(dir.resolve("config.json"), "{\"_name_or_path\": \"meta-llama/Llama-2-7b-chat-hf\"}");
        assertDetected("alpaca2", dir);
    }

    @Test
    void configNamesDecideForAGenericFolder() throws IOException {
        Path quantized = folder("model-a");
        Files.writeString(quantized.resolve("quantize_config.json"),
                "{\"bits\": 4, \"model_name_or_path\": \"/workspace/firefly-llama2-13b-chat\"}");
        Files.writeString(quantized.resolve("config.json"), "{\"_name_or_path\": \"ziqingyang/chinese-alpaca-2-13b\"}");
        assertDetected("firefly", quantized);

        Path configured = folder("model-b");
        Files.writeString(configured.resolve("config.json"),
                "{\"_name_or_path\": \"meta-llama/Llama-2-7b-chat-hf\", \"vocab_size\": 32000}");
        assertDetected("llama2-chat", configured);

        // A base-model name in config.json is not trusted (fine-tunes keep their base's name): the vocabulary decides.
        Path base = folder("model-c");
        Files.writeString(base.resolve("config.json"),
                "{\"_name_or_path\": \"/data/chinese-llama-2-7b\", \"vocab_size\": 55296}");
        assertDetected("alpaca2", base);
    }

    @Test
    void chatTemplateHintUsesTheVocabularyToTellAlpacaFromMeta() throws IOException {
        String tokenizerConfig = "{\"chat_template\": \"{{ bos_token + '[INST] <<SYS>>\\\\n' }}\"}";
        Path meta = folder("m1");
        Files.writeString(meta.resolve("tokenizer_config.json"), tokenizerConfig);
        Files.writeString(meta.resolve("config.json"), "{\"vocab_size\": 32000}");
        assertDetected("llama2-chat", meta);

        Path chinese = folder("m2");
        Files.writeString(chinese.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"default\", \"template\": \"[INST] <<SYS>> x\"}]}");
        Files.writeString(chinese.resolve("config.json"), "{\"vocab_size\": 55296}");
        assertDetected("alpaca2", chinese);
    }

    /**
     * A base model's folder name (no "chat") decides before the vocabulary: Chinese-LLaMA-2 has the Chinese
     * vocabulary too, but continues text instead of answering.
     */
    @Test
    void aChineseLlamaBaseFolderStaysRawThoughItsVocabularyIsChinese() throws IOException {
        Path base = folder("chinese-llama-2-7b");
        Files.writeString(base.resolve("config.json"), "{\"vocab_size\": 55296}");
        assertDetected("raw", base);
        assertTrue(ChatTemplates.detectWithReason(base).recognised());
        assertTrue(ChatTemplates.detectWithReason(base).reason().contains("base model"),
                ChatTemplates.detectWithReason(base).reason());
    }

    /** Newer tokenizers give chat_template as a list of named templates; the Llama-2 layout is found in it. */
    @Test
    void aChatTemplateListIsReadToo() throws IOException {
        Path listed = folder("m5");
        Files.writeString(listed.resolve("tokenizer_config.json"), "{\"chat_template\": [{\"name\": \"tool_use\","
                + " \"template\": \"{{ messages }}\"}, {\"name\": \"default\", \"template\": \"[INST] <<SYS>> x\"}]}");
        Files.writeString(listed.resolve("config.json"), "{\"vocab_size\": 32000}");
        assertDetected("llama2-chat", listed);
    }

    /** A chat_template of another layout (ChatML here) is no Llama-2 hint. */
    @Test
    void anotherChatTemplateLayoutIsNoLlama2Hint() throws IOException {
        Path chatml = folder("m7");
        Files.writeString(chatml.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"<|im_start|>system\\n{{ content }}<|im_end|>\"}");
        Files.writeString(chatml.resolve("config.json"), "{\"vocab_size\": 32000}");
        assertDetected("raw", chatml);
    }

    @Test
    void aFolderWithoutConfigSaysItsVocabularyIsUnknown() throws IOException {
        TemplateDetection detection = ChatTemplates.detectWithReason(folder("m6"));
        assertEquals("raw", detection.template().name());
        assertFalse(detection.recognised());
        assertTrue(detection.reason().contains("vocab_size unknown"), detection.reason());
    }

    @Test
    void chineseVocabularyDefaultsToAlpaca2AndOthersToRaw() throws IOException {
        Path chinese = folder("m3");
        Files.writeString(chinese.resolve("config.json"), "{\"vocab_size\": 55296}");
        assertDetected("alpaca2", chinese);

        Path unknown = folder("m4");
        Files.writeString(unknown.resolve("config.json"), "{\"vocab_size\": 32000}");
        TemplateDetection detection = ChatTemplates.detectWithReason(unknown);
        assertEquals("raw", detection.template().name());
        assertFalse(detection.recognised());
        assertTrue(detection.reason().contains("alpaca2, llama2-chat, firefly, raw"), detection.reason());
    }

    @Test
    void badInputIsNamed() throws IOException {
        Path missing = tmp.resolve("nope");
        IllegalArgumentException notDir = assertThrows(IllegalArgumentException.class,
                () -> ChatTemplates.detect(missing));
        assertTrue(notDir.getMessage().contains(missing.toString()), notDir.getMessage());

        Path broken = folder("m5");
        Files.writeString(broken.resolve("config.json"), "{\"vocab_size\": ");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ChatTemplates.detect(broken));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void withStopStringsAddsTheTemplatesOnce() {
        SamplingParams params = SamplingParams.chineseAlpaca2().toBuilder().stopStrings("###", "[INST]").build();
        SamplingParams merged = ChatTemplates.alpaca2().withStopStrings(params);
        assertEquals(List.of("###", "[INST]"), merged.stopStrings());
        assertEquals(params.temperature(), merged.temperature());
        assertEquals(List.of("[INST]"), ChatTemplates.llama2Chat().withStopStrings(SamplingParams.greedy(5))
                .stopStrings());
        assertEquals(List.of(), ChatTemplates.firefly().withStopStrings(SamplingParams.firefly()).stopStrings());
    }

    private Path folder(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static void assertDetected(String expected, Path dir) {
        TemplateDetection detection = ChatTemplates.detectWithReason(dir);
        assertEquals(expected, detection.template().name(), detection.reason());
        assertSame(detection.template(), ChatTemplates.detect(dir));
    }
}
