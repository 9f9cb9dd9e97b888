package io.yinghuo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.Highlight;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code yinghuo search}: the top chunks for a question, with citations and highlighted snippets. */
@Command(name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Searches the documents of a data folder (read-only; works while another process ingests).",
            "Text output marks matched terms with [ and ]. --json prints one object: {\"query\", \"hits\": [{"
                    + "\"doc_id\", \"file_name\", \"title\", \"collection\", \"page\", \"heading_path\","
                    + " \"chunk_index\", \"start\", \"end\", \"score\", \"text\", \"highlights\": [[start, end]...],"
                    + " \"snippet\": {\"text\", \"offset\", \"highlights\", \"html\"}}]}; offsets are UTF-16 indexes"
                    + " (highlights into text, snippet highlights into snippet.text); snippet.html is escaped HTML"
                    + " with <mark> around matches."})
public final class SearchCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data folder to search. Default: ./data")
    Path data;

    @Option(names = "--k", paramLabel = "N", defaultValue = "5", description = "Number of chunks. Default: 5")
    int k;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--doc", paramLabel = "ID", description = "Only these document ids (repeatable).")
    List<String> docIds = List.of();

    @Option(names = "--collection", paramLabel = "NAME", description = "Only these collections (repeatable).")
    List<String> collections = List.of();

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "The question (several words are joined).")
    List<String> query;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        String question = String.join(" ", query);
        List<SearchHit> hits;
        try (ChunkIndex index = ChunkIndex.openReadOnly(DataFolder.at(data).index())) {
            hits = new ChunkSearcher(index).search(SearchRequest.of(question, k).withDocIds(docIds)
                    .withCollections(collections));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (run `yinghuo ingest --data " + data
                    + " FILES...` first)");
        }
        PrintStream out = Utf8Output.stdout();
        if (json) {
            out.println(toJson(question, hits));
            return 0;
        }
        if (hits.isEmpty()) {
            out.println("no matching chunks");
            return 0;
        }
        int rank = 1;
        for (SearchHit hit : hits) {
            String where = hit.headingPath().isEmpty() ? "" : ", " + hit.headingPath();
            out.printf("%d. %s (page %d%s) score %.2f [document %s, chunk %d, chars %d-%d]%n", rank++,
                    hit.fileName(), hit.page(), where, hit.score(), hit.docId(), hit.chunkIndex(), hit.start(),
                    hit.end());
            out.println("   " + hit.snippet().marked("[", "]").replace('\n', ' '));
        }
        return 0;
    }

    static String toJson(String question, List<SearchHit> hits) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("query", question);
        ArrayNode array = root.putArray("hits");
        for (SearchHit hit : hits) {
            ObjectNode h = array.addObject();
            h.put("doc_id", hit.docId());
            h.put("file_name", hit.fileName());
            h.put("title", hit.title());
            h.put("collection", hit.collection());
            h.put("page", hit.page());
            h.put("heading_path", hit.headingPath());
            h.put("chunk_index", hit.chunkIndex());
            h.put("start", hit.start());
            h.put("end", hit.end());
            h.put("score", hit.score());
            h.put("text", hit.text());
            spans(h.putArray("highlights"), hit.highlights());
            ObjectNode snippet = h.putObject("snippet");
            snippet.put("text", hit.snippet().text());
            snippet.put("offset", hit.snippet().chunkOffset());
            spans(snippet.putArray("highlights"), hit.snippet().highlights());
            snippet.put("html", hit.snippet().toHtml());
        }
        return mapper.writeValueAsString(root);
    }

    private static void spans(ArrayNode array, List<Highlight> highlights) {
        for (Highlight highlight : highlights) {
            array.addArray().add(highlight.start()).add(highlight.end());
        }
    }
}
