package io.yinghuo.samples;

import dev.langchain4j.rag.content.Content;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.model.langchain4j.YinghuoChatModel;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;
import io.yinghuo.retrieval.rag.ChineseQueryTransformer;
import io.yinghuo.retrieval.rag.CitedRetrievalAugmentor;
import io.yinghuo.retrieval.rag.CitingContentInjector;
import io.yinghuo.retrieval.rag.Evidence;
import io.yinghuo.retrieval.rag.PartQuotaContentAggregator;
import io.yinghuo.retrieval.search.ChunkSearcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Questions over your own documents with citations, through a LangChain4j AI service:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp yinghuo-samples.jar io.yinghuo.samples.RagSample [DOCS_DIR [MODEL_DIR [DEVICE]]]
 * </pre>
 *
 * <ol>
 *   <li>ingests every file of {@code DOCS_DIR} (txt, md, pdf, docx, …) into a data folder with Yinghuo's
 *       {@link IngestPipeline} (parsing, Chinese chunking, a Lucene index with smartcn);</li>
 *   <li>builds the RAG pipeline as a LangChain4j {@code RetrievalAugmentor}: follow-up rewriting and compound
 *       questions ({@link ChineseQueryTransformer}), Chinese BM25 retrieval ({@link ChineseContentRetriever}),
 *       evidence for every part of the question ({@link PartQuotaContentAggregator}) and numbered passages packed
 *       into the model's context ({@link CitingContentInjector});</li>
 *   <li>asks through an AI service that returns {@link Result}: the answer cites passages as [n], and
 *       {@link Result#sources()} says which file and page each [n] is.</li>
 * </ol>
 *
 * Without arguments it writes three short documents into a temporary folder and synthesizes a tiny random-weight
 * model, so it runs anywhere in seconds: retrieval and citations are then real, the answer's words are random text.
 * For hybrid search (keywords and meaning) give {@link ChunkSearcher} an {@code Embedder} (the built-in
 * bge-small-zh in {@code yinghuo-embeddings}) and start the pipeline's vector backfill.
 */
public final class RagSample {

    /** The AI service: LangChain4j implements it; the retrieval augmentor adds the evidence to each question. */
    interface Librarian {
        Result<String> ask(String question);
    }

    static final List<String> QUESTIONS = List.of("长江有多长？", "龙井茶产于哪里？另外，故宫位于哪座城市？");

    static final Map<String, String> SAMPLE_DOCUMENTS = Map.of(
            "长江.txt", "长江是中国第一长河，全长约六千三百公里，发源于青藏高原的唐古拉山脉，流经十一个省级行政区，"
                    + "在上海注入东海。",
            "茶叶.md", "# 中国名茶\n\n龙井茶产于浙江省杭州市西湖一带，是著名的绿茶。\n\n普洱茶产于云南省，可以长期存放。",
            "故宫.txt", "故宫位于北京市中心，旧称紫禁城，是明清两代的皇家宫殿，现为故宫博物院。");

    private RagSample() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path documents = args.length > 0 ? Path.of(args[0]) : writeSampleDocuments();
        Path modelFolder = args.length > 1 ? Path.of(args[1]) : StreamingChatSample.synthesizeTinyModel();
        if (args.length < 2) {
            out.println("No model folder given: using a tiny model with random weights. The passages and their"
                    + " citations are real; the answer's words are random text.");
        }
        String device = args.length > 2 ? args[2] : "auto";
        DataFolder data = DataFolder.at(Files.createTempDirectory("yinghuo-rag-sample-"));
        IngestOptions options = IngestOptions.defaults();

        try (ChunkIndex index = ChunkIndex.open(data.index(), options.profile());
             IngestPipeline pipeline = IngestPipeline.open(data, index, options);
             YinghuoChatModel model = YinghuoChatModel.builder()
                     .modelPath(modelFolder)
                     .device(device)
                     .contextLength(args.length > 1 ? 4096 : 1024)
                     .maxOutputTokens(args.length > 1 ? 400 : 24)
                     .build()) {
            ingest(documents, pipeline, out);

            CitedRetrievalAugmentor augmentor = CitedRetrievalAugmentor.builder()
                    .queryTransformer(ChineseQueryTransformer.builder().build())
                    .contentRetriever(ChineseContentRetriever.builder()
                            .searcher(new ChunkSearcher(index))
                            .maxResults(10)
                            .build())
                    .contentAggregator(PartQuotaContentAggregator.builder().maxContents(5).build())
                    .contentInjector(CitingContentInjector.builder()
                            .tokenCountEstimator(model.tokenCountEstimator())
                            .contextTokens(model.contextLength())
                            .answerTokens(args.length > 1 ? 400 : 24)
                            .build())
                    .build();
            Librarian librarian = AiServices.builder(Librarian.class)
                    .chatModel(model)
                    .retrievalAugmentor(augmentor)
                    .build();

            for (String question : QUESTIONS) {
                Result<String> answer = librarian.ask(question);
                out.println("问: " + question);
                out.println("答: " + answer.content());
                for (Content source : answer.sources()) {
                    out.println("  " + citation(source));
                }
            }
        }
    }

    /** "[2] 茶叶.md, page 1: 龙井茶产于浙江省杭州市西湖一带…" */
    static String citation(Content source) {
        var metadata = source.textSegment().metadata();
        String text = source.textSegment().text().replace('\n', ' ');
        return "[" + metadata.getInteger(Evidence.NUMBER) + "] " + metadata.getString(ChineseContentRetriever.FILE_NAME)
                + ", page " + metadata.getInteger(ChineseContentRetriever.PAGE) + ": "
                + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }

    /** Ingests every regular file under {@code folder} and waits until each is committed (or failed). */
    static void ingest(Path folder, IngestPipeline pipeline, PrintStream out) throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        List<io.yinghuo.ingest.pipeline.IngestJob> jobs = new ArrayList<>();
        for (Path file : files) {
            String name = folder.relativize(file).toString().replace('\\', '/');
            jobs.add(pipeline.submit(IngestSource.of(name, Files.readAllBytes(file))));
        }
        for (io.yinghuo.ingest.pipeline.IngestJob job : jobs) {
            IngestProgress done = job.completion().join();
            out.println("ingested " + done.fileName() + ": " + (done.succeeded() ? done.chunks() + " chunks"
                    : "failed, " + done.message()));
        }
    }

    static Path writeSampleDocuments() throws IOException {
        Path folder = Files.createTempDirectory("yinghuo-rag-docs-");
        for (Map.Entry<String, String> document : SAMPLE_DOCUMENTS.entrySet()) {
            Files.writeString(folder.resolve(document.getKey()), document.getValue(), StandardCharsets.UTF_8);
        }
        return folder;
    }
}
