package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.yinghuo.model.chat.ChatTemplate;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.FittedPrompt;
import io.yinghuo.model.chat.TemplateDetection;
import io.yinghuo.model.constrain.JsonGrammar;
import io.yinghuo.model.constrain.TokenConstraint;
import io.yinghuo.model.constrain.TokenVocabulary;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.engine.rope.RopeSpec;
import io.yinghuo.model.generate.CancellationToken;
import io.yinghuo.model.generate.GenerationResult;
import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.generate.TextStreamListener;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.runtime.ModelLease;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.model.runtime.ModelRegistry;
import io.yinghuo.model.runtime.ModelWorker;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What {@link YinghuoChatModel} and {@link YinghuoStreamingChatModel} share: the model lease, the chat template,
 * the default request parameters and the translation of a LangChain4j request into a fitted prompt.
 *
 * <p>Defaults, lowest precedence first: the model family's sampling defaults (Chinese-Alpaca-2's temperature 0.2,
 * top-k 40, top-p 0.9, repetition penalty 1.1, 400 new tokens; Firefly's for the {@code firefly} template), then
 * the builder's {@code defaultRequestParameters}, then the builder's individual setters. Per-request parameters
 * override all of them (LangChain4j's {@code chat} merges them before calling {@code doChat}).
 *
 * <p>Messages are read leniently (see {@link MessageMapper}): system messages anywhere are merged into one, consecutive
 * messages of one role are merged, a conversation may start with the assistant, and an assistant message last is a
 * prefill the answer continues from (the response holds only the continuation). So a conversation stays usable after
 * a cancelled stream, when a memory holds a user message without a reply.
 *
 * <p>Context: the prompt never overflows the context window. When the conversation is too long, the oldest
 * user/assistant exchanges are left out (never the system prompt or the last user message), the count is reported
 * in {@link YinghuoChatResponseMetadata#droppedExchanges()} and logged; with
 * {@link YinghuoChatRequestParameters#dropOldestExchanges()} false nothing is left out and the request is refused
 * instead. A prompt that cannot fit is refused with {@link ContextLengthExceededException} giving the token counts.
 * Room kept for the answer: {@code maxOutputTokens}, but at most half the context (the answer may still grow until
 * the context is full, then ends with LENGTH).
 *
 * <p>Every response has a fresh id ({@code chatcmpl-} and 32 hex digits) in {@code ChatResponseMetadata.id()},
 * unless the request names one ({@link YinghuoChatRequestParameters#responseId()}).
 *
 * <p>Weights and closing: chat models built on the same folder with the same load options (device, threads, context
 * length, RoPE scaling) share one loaded model and its single worker thread, counted by {@link ModelRegistry}:
 * building a second one costs no load, and requests of all of them queue on that one worker. {@link #close()}
 * releases only this chat model's share; the weights, the KV cache and the worker thread are freed when the last
 * chat model on them closes. So a test or application may build and close chat models freely (JUnit closes
 * {@code AutoCloseable} arguments of parameterized tests after each invocation) while one long-lived chat model keeps
 * the weights loaded. A model handed in with {@code model(LlamaModel)} stays the caller's to close.
 */
public abstract class YinghuoBaseChatModel implements AutoCloseable {

    private final ModelLease lease;
    private final ChatTemplate template;
    private final String systemPrompt;
    private final YinghuoChatRequestParameters defaultParameters;
    private final List<ChatModelListener> listeners;
    private final Consumer<String> log;
    private final String modelName;

    protected YinghuoBaseChatModel(Builder<?, ?> builder) {
        this.log = builder.log != null ? builder.log : YinghuoBaseChatModel::logInfo;
        this.lease = lease(builder, log);
        try {
            LlamaModel model = lease.model();
            this.template = chooseTemplate(builder, model, log);
            this.systemPrompt = builder.systemPrompt;
            this.listeners = builder.listeners == null ? List.of() : List.copyOf(builder.listeners);
            this.modelName = builder.modelName != null ? builder.modelName : String.valueOf(
                    model.directory().getFileName());
            this.defaultParameters = defaults(builder, template, modelName);
            UnsupportedFeatures.check(defaultParameters, modelName);
            if (defaultParameters.responseId() != null) {
                throw new IllegalArgumentException("responseId is a per-request parameter: as a default every"
                        + " response would carry the same id");
            }
            samplingParams(defaultParameters); // refuses bad default values now, not at the first request
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** The loaded model (shared with every other chat model built on the same folder and options). */
    public LlamaModel model() {
        return lease.model();
    }

    public ChatTemplate chatTemplate() {
        return template;
    }

    /** Tokens the model's session holds: prompt and answer together. */
    public int contextLength() {
        return lease.model().contextLength();
    }

    /** A token counter over this model's tokenizer and chat template. */
    public YinghuoTokenCountEstimator tokenCountEstimator() {
        return new YinghuoTokenCountEstimator(lease.model().tokenizer(), template, systemPrompt);
    }

    public YinghuoChatRequestParameters defaultRequestParameters() {
        return defaultParameters;
    }

    public List<ChatModelListener> listeners() {
        return listeners;
    }

    /** {@link ModelProvider#OTHER}: LangChain4j's enum has no value for local engines other than Ollama. */
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /**
     * Releases this chat model's share of the loaded model. The weights, KV cache and worker thread are freed when
     * no other chat model (or lease) on the same folder and options holds them; otherwise they stay loaded for the
     * others. Requests already queued still finish. Idempotent; afterwards requests are refused with
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        lease.close();
    }

    protected ModelWorker worker() {
        if (lease.isClosed()) {
            throw new IllegalStateException("this chat model has been closed");
        }
        return lease.worker();
    }

    /**
     * Checks a request exactly as {@code chat} would, without generating: for a server that must refuse before it
     * commits to a response (an HTTP stream's status line is sent before the answer exists). Costs one tokenization
     * of the prompt.
     *
     * @throws UnsupportedFeatureException   as {@link #checkSupported}
     * @throws InvalidRequestException       for values out of range
     * @throws ContextLengthExceededException for a prompt that cannot fit the context
     */
    public void validate(ChatRequest request) {
        prepare(request, checkSupported(request));
    }

    /**
     * Refuses what this provider does not support, before any work: the streaming model throws these straight out
     * of {@code chat}, as LangChain4j's providers do, rather than through {@code onError}. Parameters are merged with
     * the defaults again so that a direct {@code doChat} call (bypassing LangChain4j's {@code chat}) gets them too;
     * merging twice changes nothing.
     *
     * @throws UnsupportedFeatureException for tools, JSON response formats, frequency/presence penalties, another
     *                                     model name, non-text content, tool messages
     */
    protected MessageMapper.Mapped checkSupported(ChatRequest request) {
        UnsupportedFeatures.check(defaultParameters.overrideWith(request.parameters()), modelName);
        return MessageMapper.toConversation(request.messages(), systemPrompt);
    }

    /**
     * Builds the prompt of a request that {@link #checkSupported} accepted.
     *
     * @throws InvalidRequestException for values out of range, or ({@link ContextLengthExceededException}) a prompt
     *                                 that cannot fit the context
     */
    protected PreparedChat prepare(ChatRequest request, MessageMapper.Mapped mapped) {
        ChatRequestParameters parameters = defaultParameters.overrideWith(request.parameters());
        SamplingParams params;
        try {
            params = template.withStopStrings(samplingParams(parameters));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        OutputFormat format;
        try {
            format = OutputFormat.of(parameters);
        } catch (UnsupportedFeatureException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        if (format.constrained() && mapped.prefill() != null) {
            throw new InvalidRequestException("an assistant message last (a prefill) cannot be combined with a JSON"
                    + " response format or tools: the answer must be one JSON value from its start");
        }
        mapped = withInstruction(mapped, format.instruction());
        YinghuoChatRequestParameters yinghuo = parameters instanceof YinghuoChatRequestParameters y ? y : null;
        boolean dropOldest = yinghuo == null || !Boolean.FALSE.equals(yinghuo.dropOldestExchanges());
        LlamaModel model = lease.model();
        int context = model.contextLength();
        int answerRoom = Math.min(params.maxNewTokens(), context / 2);
        FittedPrompt fitted = PromptFitter.fit(template, model.tokenizer(), mapped, context, answerRoom, dropOldest);
        if (fitted.droppedExchanges() > 0) {
            log.accept("yinghuo: left out the " + fitted.droppedExchanges() + " oldest of "
                    + mapped.conversation().history().size() + " exchanges so the prompt (" + fitted.promptTokens()
                    + " tokens) and " + answerRoom + " tokens for the answer fit the context of " + context);
        }
        String id = yinghuo != null && yinghuo.responseId() != null ? yinghuo.responseId() : ResponseIds.next();
        return new PreparedChat(fitted, params, format, id);
    }

    /**
     * Tells the model the answer's form: in the system prompt (the given one, or the template's default), or, for
     * a template without one (raw), after the user's message.
     */
    private MessageMapper.Mapped withInstruction(MessageMapper.Mapped mapped, String instruction) {
        if (instruction == null) {
            return mapped;
        }
        Conversation c = mapped.conversation();
        String system = c.systemPrompt() != null ? c.systemPrompt() : template.defaultSystemPrompt();
        Conversation instructed = system == null
                ? new Conversation(null, c.history(), c.userMessage() + "\n\n" + instruction)
                : new Conversation(system + "\n\n" + instruction, c.history(), c.userMessage());
        return new MessageMapper.Mapped(instructed, mapped.prefill());
    }

    /** Queues the generation, under the answer's grammar when it has one. */
    protected CompletableFuture<GenerationResult> submit(ModelWorker worker, PreparedChat prepared,
                                                         TextStreamListener listener,
                                                         CancellationToken cancellation) {
        return submit(worker, prepared, listener, cancellation, (result, error) -> { });
    }

    /** As above, {@code onDone} running on the worker thread (see {@link ModelWorker}). */
    protected CompletableFuture<GenerationResult> submit(ModelWorker worker, PreparedChat prepared,
                                                         TextStreamListener listener, CancellationToken cancellation,
                                                         java.util.function.BiConsumer<GenerationResult, Throwable>
                                                                 onDone) {
        JsonGrammar grammar = prepared.format().grammar();
        TokenConstraint constraint = grammar == null ? null
                : grammar.newConstraint(TokenVocabulary.of(lease.model().tokenizer()));
        return worker.submit(prepared.prompt().ids(), prepared.params(), constraint, listener, cancellation, onDone);
    }

    /** The text listener of a streamed answer: a tool-format answer streams only its response text. */
    protected static TextStreamListener streamedText(PreparedChat prepared, TextStreamListener target) {
        return prepared.format().tools() == null ? target : new ResponseTextStream(target);
    }

    /**
     * Structured output through constrained decoding ({@link OutputFormat}), so that AI services send the schema
     * instead of describing it in the prompt; tools need no capability flag. Implements
     * {@code ChatModel.supportedCapabilities} and {@code StreamingChatModel.supportedCapabilities}.
     */
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    protected ChatResponse toResponse(GenerationResult result, PreparedChat prepared) {
        boolean endedByEos = result.finishReason() == io.yinghuo.model.generate.FinishReason.STOP
                && result.stopString() == null;
        int outputTokens = result.generatedTokens() + (endedByEos ? 1 : 0);
        AiMessage message = AiMessage.from(result.text());
        FinishReason reason = finishReason(result.finishReason());
        if (prepared.format().tools() != null) {
            if (result.finishReason() == io.yinghuo.model.generate.FinishReason.STOP) {
                message = ToolCallFormat.parseAnswer(result.text()); // complete, so valid against the grammar
                if (message.hasToolExecutionRequests()) {
                    reason = FinishReason.TOOL_EXECUTION;
                }
            } else {
                message = AiMessage.from(ResponseTextStream.textOf(result.text())); // cut: what was streamed
            }
        }
        YinghuoChatResponseMetadata metadata = YinghuoChatResponseMetadata.builder()
                .id(prepared.id())
                .modelName(modelName)
                .tokenUsage(new TokenUsage(result.promptTokens(), outputTokens))
                .finishReason(reason)
                .droppedExchanges(prepared.prompt().droppedExchanges())
                .chatTemplate(template.name())
                .stopSequence(result.stopString())
                .seed(result.seed())
                .prefill(result.prefillTokens(), result.prefillNanos())
                .decode(result.decodeTokens(), result.decodeNanos())
                .outputTokenIds(result.tokenIds())
                .build();
        return ChatResponse.builder().aiMessage(message).metadata(metadata).build();
    }

    /** LangChain4j has no "cancelled" finish reason; OTHER is the closest (see {@link YinghuoChatResponseMetadata}). */
    static FinishReason finishReason(io.yinghuo.model.generate.FinishReason reason) {
        return switch (reason) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case CANCELLED -> FinishReason.OTHER;
        };
    }

    /** The sampling parameters of merged request parameters (every value set: the family defaults fill gaps). */
    static SamplingParams samplingParams(ChatRequestParameters p) {
        SamplingParams.Builder b = SamplingParams.builder()
                .temperature(p.temperature())
                .topK(p.topK())
                .topP(p.topP())
                .maxNewTokens(p.maxOutputTokens());
        if (p instanceof YinghuoChatRequestParameters y) {
            if (y.repetitionPenalty() != null) {
                b.repetitionPenalty(y.repetitionPenalty());
            }
            b.seed(y.seed());
        }
        if (p.stopSequences() != null) {
            b.stopStrings(p.stopSequences());
        }
        return b.build();
    }

    private static YinghuoChatRequestParameters defaults(Builder<?, ?> b, ChatTemplate template, String modelName) {
        SamplingParams family = template.name().equals("firefly") ? SamplingParams.firefly()
                : SamplingParams.chineseAlpaca2();
        YinghuoChatRequestParameters familyDefaults = YinghuoChatRequestParameters.builder()
                .modelName(modelName)
                .temperature(family.temperature())
                .topK(family.topK())
                .topP(family.topP())
                .repetitionPenalty(family.repetitionPenalty())
                .maxOutputTokens(family.maxNewTokens())
                .stopSequences(List.of())
                .build();
        YinghuoChatRequestParameters.Builder merged = YinghuoChatRequestParameters.builder()
                .overrideWith(familyDefaults)
                .overrideWith(b.defaultRequestParameters);
        if (b.temperature != null) {
            merged.temperature(b.temperature);
        }
        if (b.topK != null) {
            merged.topK(b.topK);
        }
        if (b.topP != null) {
            merged.topP(b.topP);
        }
        if (b.repetitionPenalty != null) {
            merged.repetitionPenalty(b.repetitionPenalty);
        }
        if (b.seed != null) {
            merged.seed(b.seed);
        }
        if (b.maxOutputTokens != null) {
            merged.maxOutputTokens(b.maxOutputTokens);
        }
        if (b.stopSequences != null) {
            merged.stopSequences(b.stopSequences);
        }
        return merged.build();
    }

    private static ModelLease lease(Builder<?, ?> b, Consumer<String> log) {
        if (b.model != null) {
            if (b.modelPath != null) {
                throw new IllegalArgumentException("give either modelPath (to load a folder) or model (an already"
                        + " loaded LlamaModel), not both");
            }
            if (b.device != null || b.threads != null || b.contextLength != null || b.ropeScaling != null
                    || b.maxSequences != null) {
                throw new IllegalArgumentException("device, threads, contextLength, ropeScaling and maxSequences are"
                        + " fixed when a"
                        + " model is loaded; they cannot be set together with an already loaded model");
            }
            return ModelRegistry.attach(b.model);
        }
        if (b.modelPath == null) {
            throw new IllegalArgumentException("modelPath is required: the folder of a GPTQ (or fp16) LLaMA-2"
                    + " checkpoint with its tokenizer.model");
        }
        ModelOptions options = new ModelOptions(b.device == null ? DeviceSpec.AUTO : b.device,
                b.threads == null ? 0 : b.threads, b.ropeScaling, b.contextLength == null ? 0 : b.contextLength,
                b.maxSequences == null ? ModelOptions.DEFAULT_MAX_SEQUENCES : b.maxSequences, 0);
        return ModelRegistry.acquire(b.modelPath, options, log);
    }

    private static ChatTemplate chooseTemplate(Builder<?, ?> b, LlamaModel model, Consumer<String> log) {
        if (b.chatTemplate != null) {
            return b.chatTemplate;
        }
        TemplateDetection detection = ChatTemplates.detectWithReason(model.directory());
        log.accept("yinghuo: chat template " + detection.template().name() + " (" + detection.reason() + ")");
        return detection.template();
    }

    private static void logInfo(String message) {
        LoggerFactory.getLogger(YinghuoBaseChatModel.class).info(message);
    }

    /**
     * The options both chat models take. Self-typed so that subclasses' builders chain without casts.
     *
     * @param <C> the chat model built
     * @param <B> the concrete builder
     */
    public abstract static class Builder<C extends YinghuoBaseChatModel, B extends Builder<C, B>> {

        private Path modelPath;
        private LlamaModel model;
        private DeviceSpec device;
        private Integer threads;
        private Integer maxSequences;
        private Integer contextLength;
        private RopeSpec ropeScaling;
        private ChatTemplate chatTemplate;
        private String systemPrompt;
        private String modelName;
        private Double temperature;
        private Integer topK;
        private Double topP;
        private Double repetitionPenalty;
        private Long seed;
        private Integer maxOutputTokens;
        private List<String> stopSequences;
        private ChatRequestParameters defaultRequestParameters;
        private List<ChatModelListener> listeners;
        private Consumer<String> log;

        protected B self() {
            @SuppressWarnings("unchecked")
            B b = (B) this;
            return b;
        }

        public abstract C build();

        /** The model folder: config.json, quantize_config.json, *.safetensors, tokenizer.model. */
        public B modelPath(Path modelPath) {
            this.modelPath = modelPath;
            return self();
        }

        /**
         * An already loaded model instead of {@link #modelPath}; the caller keeps owning it (closing the chat model
         * does not close it). Chat models on the same instance share one request queue.
         */
        public B model(LlamaModel model) {
            this.model = model;
            return self();
        }

        /** {@code auto} (default), {@code cpu}, {@code cuda}, {@code cuda:N} or a device index. */
        public B device(String device) {
            this.device = device == null ? null : DeviceSpec.parse(device);
            return self();
        }

        public B device(DeviceSpec device) {
            this.device = device;
            return self();
        }

        /** CPU worker threads; 0 or unset = all cores. */
        public B threads(Integer threads) {
            this.threads = threads;
            return self();
        }

        /**
         * Generations the model decodes together (continuous batching), each in a KV slot of the context length that
         * also keeps its prompt for the next turn; unset = {@value ModelOptions#DEFAULT_MAX_SEQUENCES}.
         */
        public B maxSequences(Integer maxSequences) {
            this.maxSequences = maxSequences;
            return self();
        }

        /** Tokens the context holds (prompt and answer); unset = the model's max_position_embeddings. */
        public B contextLength(Integer contextLength) {
            this.contextLength = contextLength;
            return self();
        }

        /** RoPE scaling: {@code none}, {@code linear:F}, {@code dynamic:F}, {@code ntk:A}, {@code ntk:auto}, {@code yarn:F}. */
        public B ropeScaling(String ropeScaling) {
            this.ropeScaling = ropeScaling == null ? null : RopeSpec.parse(ropeScaling);
            return self();
        }

        public B ropeScaling(RopeSpec ropeScaling) {
            this.ropeScaling = ropeScaling;
            return self();
        }

        /** {@code alpaca2}, {@code llama2-chat}, {@code firefly} or {@code raw}; unset = recognised from the folder. */
        public B chatTemplate(String chatTemplate) {
            this.chatTemplate = chatTemplate == null ? null : ChatTemplates.byName(chatTemplate);
            return self();
        }

        public B chatTemplate(ChatTemplate chatTemplate) {
            this.chatTemplate = chatTemplate;
            return self();
        }

        /** System prompt used when a request has no system message; unset = the template's own default. */
        public B systemPrompt(String systemPrompt) {
            this.systemPrompt = systemPrompt;
            return self();
        }

        /** The name reported in responses and listener contexts; unset = the folder's name. */
        public B modelName(String modelName) {
            this.modelName = modelName;
            return self();
        }

        /** 0 = greedy decoding. */
        public B temperature(Double temperature) {
            this.temperature = temperature;
            return self();
        }

        /** 0 = off. */
        public B topK(Integer topK) {
            this.topK = topK;
            return self();
        }

        /** 1 = off. */
        public B topP(Double topP) {
            this.topP = topP;
            return self();
        }

        /** Hugging Face repetition penalty, 1 = off. */
        public B repetitionPenalty(Double repetitionPenalty) {
            this.repetitionPenalty = repetitionPenalty;
            return self();
        }

        /** A fixed sampling seed (reproducible answers); unset = a fresh seed per request. */
        public B seed(Long seed) {
            this.seed = seed;
            return self();
        }

        public B maxOutputTokens(Integer maxOutputTokens) {
            this.maxOutputTokens = maxOutputTokens;
            return self();
        }

        public B stopSequences(List<String> stopSequences) {
            this.stopSequences = stopSequences;
            return self();
        }

        /** Defaults for every request; the individual setters above take precedence over these. */
        public B defaultRequestParameters(ChatRequestParameters defaultRequestParameters) {
            this.defaultRequestParameters = defaultRequestParameters;
            return self();
        }

        public B listeners(List<ChatModelListener> listeners) {
            this.listeners = listeners;
            return self();
        }

        public B listeners(ChatModelListener... listeners) {
            this.listeners = List.of(listeners);
            return self();
        }

        /** Receives one-line notes (device, template choice, dropped exchanges); default: SLF4J at INFO. */
        public B log(Consumer<String> log) {
            this.log = log;
            return self();
        }
    }
}
