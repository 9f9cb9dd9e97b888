package io.yinghuo.cli;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.web.Json;
import io.yinghuo.web.ask.PassageJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code yinghuo search}: the top chunks for a question, with citations and highlighted snippets. */
@Command(name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Searches the documents of a data folder (read-only; works while another process ingests).",
            "Hybrid (keywords and meaning, built-in bge-small-zh-v1.5 embedding model) where the documents have"
                    + " vectors, keywords only for the others; each hit says which (hybrid or lexical).",
            "Text output marks matched terms with [ and ]. --json prints one object, as GET /api/search answers:"
                    + " {\"query\", \"hits\": [{\"document_id\", \"file_name\", \"title\", \"collection\", \"page\","
                    + " \"heading_path\", \"chunk_index\", \"start\", \"end\", \"score\", \"retrieval\","
                    + " \"similarity\" (hybrid hits only), \"text\","
                    + " \"highlights\": [[start, end]...], \"snippet\": {\"text\", \"offset\", \"highlights\"},"
                    + " \"snippet_html\"}]}; offsets are UTF-16 indexes (start/end into the document's parsed text,"
                    + " highlights into text, snippet highlights into snippet.text); snippet_html is escaped HTML with"
                    + " <mark> around matches."})
public final class SearchCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data folder to search. Default: ./data")
    Path data;

    @picocli.CommandLine.Mixin
    IndexOption indexOption = new IndexOption();

    @Option(names = "--k", paramLabel = "N", defaultValue = "5", description = "Number of chunks. Default: 5")
    int k;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--doc", paramLabel = "ID", description = "Only these document ids (repeatable).")
    List<String> docIds = List.of();

    @Option(names = "--collection", paramLabel = "NAME", description = "Only these collections (repeatable).")
    List<String> collections = List.of();

    @Option(names = "--no-vectors", description = "Keywords only: do not load the embedding model.")
    boolean noVectors;

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "The question (several words are joined).")
    List<String> query;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        String question = String.join(" ", query);
        List<SearchHit> hits;
        try (ChunkStore index = indexOption.address().openReadOnly(DataFolder.at(data))) {
            hits = new ChunkSearcher(index, embedder(index)).search(SearchRequest.of(question, k).withDocIds(docIds)
                    .withCollections(collections));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (run `yinghuo ingest --data " + data
                    + " FILES...` first)");
        }
        PrintStream out = Utf8Output.stdout();
        if (json) {
            out.println(Json.write(PassageJson.searchResults(question, hits)));
            return 0;
        }
        if (hits.isEmpty()) {
            out.println("no matching chunks");
            return 0;
        }
        int rank = 1;
        for (SearchHit hit : hits) {
            String where = hit.headingPath().isEmpty() ? "" : ", " + hit.headingPath();
            String how = SearchHit.HYBRID.equals(hit.retrieval())
                    ? String.format(Locale.ROOT, "hybrid, similarity %.2f", hit.similarity()) : hit.retrieval();
            out.printf(Locale.ROOT, "%d. %s (page %d%s) score %.2f, %s [document %s, chunk %d, chars %d-%d]%n", rank++,
                    hit.fileName(), hit.page(), where, hit.score(), how, hit.docId(), hit.chunkIndex(), hit.start(),
                    hit.end());
            out.println("   " + hit.snippet().marked("[", "]").replace('\n', ' '));
        }
        return 0;
    }

    /**
     * The built-in embedding model, unless {@code --no-vectors} or no document has vectors of it yet (then every hit
     * would be lexical anyway, and loading the model would only cost time). A model that cannot be loaded leaves
     * the search to keywords, with one warning.
     */
    private Embedder embedder(ChunkStore index) {
        Embedder embedder = EmbeddingChoice.unless(noVectors);
        if (embedder == null) {
            return null;
        }
        boolean anyVectors = index.documents().stream()
                .anyMatch(d -> index.vectorSpace(d.docId()).map(embedder.space()::equals).orElse(false));
        return anyVectors ? embedder : null;
    }
}
