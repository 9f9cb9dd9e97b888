package io.yinghuo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.chat.ChatTemplate;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.ContextFitter;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.FittedPrompt;
import io.yinghuo.model.chat.TemplateDetection;
import io.yinghuo.model.constrain.JsonGrammar;
import io.yinghuo.model.constrain.TokenConstraint;
import io.yinghuo.model.constrain.TokenVocabulary;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.Generator;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.runtime.LlamaModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code generate}: one answer streamed to stdout as it is decoded; timings go to stderr. Sampling defaults are the
 * model family's ({@link SamplingParams#chineseAlpaca2()} or {@link SamplingParams#firefly()}, the defaults of their
 * upstream inference scripts); every option given overrides them.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate an answer with a model folder, streamed to stdout (timings on stderr).")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder.")
    Path model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The user message (default: all of stdin).")
    String prompt;

    @Option(names = "--ctx", defaultValue = "0", paramLabel = "N",
            description = "Context length in tokens (default: the model's max_position_embeddings).")
    int ctx;

    @Option(names = "--json", description = "Constrain the answer to one JSON object (constrained decoding).")
    boolean json;

    @Option(names = "--json-schema", paramLabel = "FILE",
            description = "Constrain the answer to JSON valid against the JSON Schema in FILE (constrained decoding:"
                    + " type, properties, required, additionalProperties, items, enum, const, anyOf, $ref).")
    Path jsonSchema;

    @Option(names = "--runs", defaultValue = "1", paramLabel = "N",
            description = "Generate N times in this JVM, the answer printed once, each run's timings on stderr (the"
                    + " later runs show the steady state, after the JIT compiler's warm-up).")
    int runs;

    @Mixin
    SamplingOptionsMixin sampling;

    @Mixin
    ModelOptionsMixin modelOptions;

    @Override
    public Integer call() throws Exception {
        String user = prompt != null ? prompt : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        if (user.isBlank()) {
            throw new IllegalArgumentException("nothing to answer: give --prompt TEXT or text on stdin");
        }
        ChatTemplate chosen = chooseTemplate();
        try (LlamaModel llama = LlamaModel.load(model, modelOptions.toOptions(ctx));
             InferenceSession session = llama.newSession()) {
            SamplingParams params = chosen.withStopStrings(samplingParams(chosen));
            FittedPrompt fitted = ContextFitter.fit(chosen, llama.tokenizer(), Conversation.of(sampling.system, user),
                    llama.contextLength(), Math.min(params.maxNewTokens(), llama.contextLength() - 1));
            System.err.printf("generate: %s, template %s, %d prompt tokens, context %d%n", llama.description(),
                    chosen.name(), fitted.promptTokens(), llama.contextLength());
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            JsonGrammar grammar = grammar();
            Generator generator = new Generator(session, llama.tokenizer());
            for (int run = 1; run <= Math.max(1, runs); run++) {
                TokenConstraint constraint = grammar == null ? null
                        : grammar.newConstraint(TokenVocabulary.of(llama.tokenizer()));
                generator.forgetCache(); // every run prefills the whole prompt again
                GenerationResult result = generator.generate(fitted.ids(), params, constraint,
                        run == 1 ? out::print : piece -> { }, new CancellationToken());
                if (run == 1) {
                    out.println();
                }
                System.err.printf("%sprefill %d tokens in %.2f s (%.1f tok/s); decode %d tokens in %.2f s (%.2f tok/s);"
                                + " finish: %s%n", runs > 1 ? "run " + run + ": " : "", result.prefillTokens(),
                        result.prefillNanos() / 1e9, result.prefillTokensPerSecond(), result.decodeTokens(),
                        result.decodeNanos() / 1e9, result.decodeTokensPerSecond(),
                        result.finishReason().name().toLowerCase());
            }
        }
        return 0;
    }

    /** The grammar of --json / --json-schema, or null for free text. */
    private JsonGrammar grammar() throws java.io.IOException {
        if (jsonSchema != null) {
            try {
                return JsonGrammar.forSchema(new ObjectMapper().readTree(Files.readString(jsonSchema)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new OptionValueException("--json-schema " + jsonSchema + ": " + e.getMessage(), e);
            }
        }
        return json ? JsonGrammar.anyObject() : null;
    }

    private ChatTemplate chooseTemplate() {
        if (sampling.template != null) {
            return ChatTemplates.byName(sampling.template);
        }
        TemplateDetection detection = ChatTemplates.detectWithReason(model);
        System.err.println("generate: template " + detection.template().name() + " (" + detection.reason() + ")");
        return detection.template();
    }

    /** The family defaults (Firefly's for the firefly template, Chinese-Alpaca-2's otherwise) with overrides. */
    private SamplingParams samplingParams(ChatTemplate chosen) {
        boolean firefly = "firefly".equals(chosen.name());
        return sampling.applyTo(firefly ? SamplingParams.firefly() : SamplingParams.chineseAlpaca2());
    }
}
