package io.yinghuo.web.ask;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.generation.ModelService;
import io.yinghuo.web.generation.QueuedGeneration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a question in one of three modes: from the documents (retrieve, then generate with numbered citations,
 * or quote the evidence when no model is loaded), search only, or chat with the model alone.
 */
public final class AskService {

    /** What the answer says when retrieval finds nothing (no model call is made then). */
    public static final String NOT_FOUND = "未找到相关内容";

    static final String SYSTEM_PROMPT = "你是一个严谨的文档问答助手。只根据“参考资料”回答问题，不要编造；"
            + "在用到某条资料的句子末尾用 [编号] 标注出处；参考资料中没有答案时，只回答“" + NOT_FOUND + "”。";

    private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,2})]");

    private final ChunkSearcher searcher;
    private final ModelService models;

    public AskService(ChunkSearcher searcher, ModelService models) {
        this.searcher = searcher;
        this.models = models;
    }

    /**
     * Checks what must hold before a response starts (so a stream is never opened for a request that cannot be
     * served): chat mode needs a model.
     */
    public void precheck(AskRequest request) {
        if (request.mode() == AskRequest.Mode.CHAT) {
            models.chat();
        }
    }

    public void answer(AskRequest request, AnswerSink sink) throws IOException, InterruptedException {
        switch (request.mode()) {
            case SEARCH -> {
                List<Source> sources = retrieve(request);
                sink.retrieved(sources);
                sink.done(new Answer("", sources, "search", "none", null, null, null));
            }
            case CHAT -> chat(request, sink);
            case ASK -> ask(request, sink);
        }
    }

    private void ask(AskRequest request, AnswerSink sink) throws IOException, InterruptedException {
        List<Source> sources = retrieve(request);
        sink.retrieved(sources);
        if (sources.isEmpty()) {
            sink.token(NOT_FOUND);
            sink.done(new Answer(NOT_FOUND, sources, "ask", "not_found", null, null, null));
            return;
        }
        if (!models.loaded()) {
            evidenceOnly(sources, sink);
            return;
        }
        YinghuoStreamingChatModel chat = models.chat();
        List<Source> used = fitSources(chat, request, sources);
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(SYSTEM_PROMPT));
        addHistory(messages, request);
        messages.add(UserMessage.from(prompt(used, request.question())));
        ChatResponse response = generate(chat, messages, request, sink);
        String text = response.aiMessage().text();
        Set<Integer> cited = citedNumbers(text, used.size());
        List<Source> flagged = new ArrayList<>();
        for (Source source : sources) {
            flagged.add(source.withCited(cited.contains(source.number())));
        }
        sink.done(finished(text, flagged, "ask", response));
    }

    private void chat(AskRequest request, AnswerSink sink) throws IOException, InterruptedException {
        YinghuoStreamingChatModel chat = models.chat();
        List<ChatMessage> messages = new ArrayList<>();
        addHistory(messages, request);
        messages.add(UserMessage.from(request.question()));
        ChatResponse response = generate(chat, messages, request, sink);
        sink.done(finished(response.aiMessage().text(), List.of(), "chat", response));
    }

    /** Without a model the answer is the evidence itself: each passage, numbered, with where it comes from. */
    private static void evidenceOnly(List<Source> sources, AnswerSink sink) throws IOException {
        StringBuilder text = new StringBuilder("（未加载生成模型，以下是与问题最相关的原文摘录）\n");
        sink.token(text.toString());
        List<Source> cited = new ArrayList<>();
        for (Source source : sources) {
            SearchHit hit = source.hit();
            String line = "\n[" + source.number() + "] 《" + hit.fileName() + "》第 " + hit.page() + " 页："
                    + hit.text().strip().replaceAll("\\s+", " ") + "\n";
            text.append(line);
            sink.token(line);
            cited.add(source.withCited(true));
        }
        sink.done(new Answer(text.toString(), cited, "ask", "evidence", null, null, null));
    }

    private List<Source> retrieve(AskRequest request) throws IOException {
        SearchRequest search = SearchRequest.of(request.question(), request.sources())
                .withDocIds(request.documentIds());
        List<SearchHit> hits = searcher.search(search);
        List<Source> sources = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            sources.add(new Source(i + 1, hits.get(i), false));
        }
        return sources;
    }

    /**
     * The passages that fit the token budget, best first: the budget is the request's context length (capped at
     * the model's), less room for the answer, the system prompt, the history and the question.
     */
    static List<Source> fitSources(YinghuoStreamingChatModel chat, AskRequest request, List<Source> sources) {
        int context = chat.contextLength();
        int budget = request.contextTokens() == null ? context : Math.min(request.contextTokens(), context);
        int answerRoom = Math.min(maxTokens(chat, request), budget / 2);
        var estimator = chat.tokenCountEstimator();
        int fixed = estimator.estimateTokenCountInText(SYSTEM_PROMPT + request.question()) + 64;
        for (AskRequest.Turn turn : request.history()) {
            fixed += estimator.estimateTokenCountInText(turn.content()) + 8;
        }
        int room = budget - answerRoom - fixed;
        List<Source> used = new ArrayList<>();
        for (Source source : sources) {
            int cost = estimator.estimateTokenCountInText(passage(source)) + 4;
            if (cost > room) {
                break;
            }
            used.add(source);
            room -= cost;
        }
        if (used.isEmpty()) {
            throw ApiException.badRequest("context_length", "the context length of " + budget + " tokens leaves no"
                    + " room for even one source passage after the question, the conversation and " + answerRoom
                    + " tokens for the answer; raise context_length or lower max_tokens");
        }
        return used;
    }

    private static int maxTokens(YinghuoStreamingChatModel chat, AskRequest request) {
        return request.maxTokens() != null ? request.maxTokens()
                : chat.defaultRequestParameters().maxOutputTokens();
    }

    static String prompt(List<Source> sources, String question) {
        StringBuilder prompt = new StringBuilder("参考资料：\n");
        for (Source source : sources) {
            prompt.append(passage(source)).append("\n\n");
        }
        return prompt.append("问题：").append(question).toString();
    }

    private static String passage(Source source) {
        SearchHit hit = source.hit();
        return "[" + source.number() + "]（《" + hit.fileName() + "》第 " + hit.page() + " 页）\n" + hit.text().strip();
    }

    static Set<Integer> citedNumbers(String answer, int count) {
        Set<Integer> numbers = new HashSet<>();
        Matcher m = CITATION.matcher(answer);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n >= 1 && n <= count) {
                numbers.add(n);
            }
        }
        return numbers;
    }

    private static void addHistory(List<ChatMessage> messages, AskRequest request) {
        for (AskRequest.Turn turn : request.history()) {
            messages.add(turn.user() ? UserMessage.from(turn.content()) : AiMessage.from(turn.content()));
        }
    }

    private ChatResponse generate(YinghuoStreamingChatModel chat, List<ChatMessage> messages, AskRequest request,
                                  AnswerSink sink) throws IOException, InterruptedException {
        YinghuoChatRequestParameters.Builder parameters = YinghuoChatRequestParameters.builder();
        if (request.temperature() != null) {
            parameters.temperature(request.temperature());
        }
        if (request.maxTokens() != null) {
            parameters.maxOutputTokens(request.maxTokens());
        }
        ChatRequest chatRequest = ChatRequest.builder().messages(messages).parameters(parameters.build()).build();
        return QueuedGeneration.run(models.queue(), chat, chatRequest, new QueuedGeneration.Listener() {
            @Override
            public void queued(int ahead) throws IOException {
                sink.queued(ahead);
            }

            @Override
            public void token(String text) throws IOException {
                sink.token(text);
            }

            @Override
            public void heartbeat() throws IOException {
                sink.heartbeat();
            }
        });
    }

    private static Answer finished(String text, List<Source> sources, String mode, ChatResponse response) {
        TokenUsage usage = response.metadata().tokenUsage();
        String reason = response.metadata().finishReason() == null ? null
                : response.metadata().finishReason().name().toLowerCase(java.util.Locale.ROOT);
        return new Answer(text, sources, mode, "generated", reason,
                usage == null ? null : usage.inputTokenCount(), usage == null ? null : usage.outputTokenCount());
    }
}
