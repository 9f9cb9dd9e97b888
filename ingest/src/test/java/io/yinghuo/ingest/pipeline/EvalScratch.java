package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.eval.*;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;

import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/** Scratch experiment runner (not a test). */
public class EvalScratch {
    public static void main(String[] args) throws Exception {
        Path data = Path.of("/work/shared/data/cmrc2018-dev");
        int maxChars = Integer.parseInt(System.getProperty("chunk", "300"));
        for (IndexProfile profile : System.getProperty("profile") == null ? List.of(IndexProfile.values()) : List.of(IndexProfile.valueOf(System.getProperty("profile")))) {
            Path dir = Files.createTempDirectory("evalscratch");
            Map<String, String> idMap = new HashMap<>();
            long chars = 0;
            long t0;
            try (IngestPipeline p = IngestPipeline.open(DataFolder.at(dir), (System.getProperty("simple") != null ? TestSteps.options(maxChars) : IngestOptions.defaults()).withProfile(profile))) {
                List<IngestJob> jobs = new ArrayList<>();
                p.searcher().search(SearchRequest.of("预热", 1));
                t0 = System.nanoTime();
                long cpu0 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
                for (String f : List.of("cmrc2018_documents.jsonl", "drcd_documents.jsonl")) {
                    for (EvalDocument d : EvalFiles.readDocuments(data.resolve(f))) {
                        String name = d.docId() + ".md";
                        idMap.put(DocumentIds.forFile("", name), d.docId());
                        jobs.add(p.submit(IngestSource.of(name, ("# " + d.title() + "\n\n" + d.text()).getBytes(StandardCharsets.UTF_8))));
                    }
                }
                p.awaitIdle();
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpu = (((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() - cpu0) / 1e9;
                System.out.printf("wall %.2fs cpu %.2fs%n", secs, cpu);
                if (System.getProperty("noeval") != null) continue;
                for (IngestJob j : jobs) { chars += j.progress().characters(); if (!j.progress().succeeded()) System.out.println(j.progress()); }
                System.out.printf("%s ingest %d chars in %.2fs = %.0f chars/s, chunks %d%n", profile.label(), chars, secs, chars / secs, p.index().chunkCount());
                for (String qf : List.of("cmrc2018_questions.jsonl", "cmrc2018_multidoc.jsonl", "drcd_questions.jsonl", "drcd_multidoc.jsonl")) {
                    List<EvalQuestion> qs = EvalFiles.readQuestions(data.resolve(qf));
                    SourceReport r = RetrievalEvaluator.evaluate(qf, qs, List.of(1, 3, 5, 10), (q, k) -> {
                        List<RankedChunk> out = new ArrayList<>();
                        for (SearchHit h : p.searcher().search(SearchRequest.of(q, k).withSnippets(false))) out.add(new RankedChunk(idMap.get(h.docId()), h.text()));
                        return out;
                    });
                    System.out.println("  " + r);
                }
            }
        }
    }
}
