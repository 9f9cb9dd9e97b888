package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.eval.*;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.search.SearchRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/** Scratch: ingest throughput, cold then warm passes, wall and process CPU. */
public class IngestBench {
    public static void main(String[] args) throws Exception {
        Path data = Path.of("/work/shared/data/cmrc2018-dev");
        List<EvalDocument> docs = new ArrayList<>();
        for (String f : List.of("cmrc2018_documents.jsonl", "drcd_documents.jsonl")) docs.addAll(EvalFiles.readDocuments(data.resolve(f)));
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        IndexProfile profile = IndexProfile.valueOf(System.getProperty("profile", "CHINESE_HYBRID"));
        int workers = Integer.getInteger("workers", 2);
        for (int pass = 0; pass < Integer.getInteger("passes", 3); pass++) {
            Path dir = Files.createTempDirectory("bench");
            try (IngestPipeline p = IngestPipeline.open(DataFolder.at(dir), IngestOptions.defaults().withProfile(profile).withWorkers(workers))) {
                p.searcher().search(SearchRequest.of("预热", 1));
                long t0 = System.nanoTime(), c0 = os.getProcessCpuTime(); long bytes = 0;
                for (EvalDocument d : docs) {
                    byte[] b = ("# " + d.title() + "\n\n" + d.text().replace("\n", "\n\n") + "\npass " + pass).getBytes(StandardCharsets.UTF_8);
                    bytes += b.length;
                    p.submit(IngestSource.of(d.docId() + ".md", b));
                }
                p.awaitIdle();
                double s = (System.nanoTime() - t0) / 1e9, c = (os.getProcessCpuTime() - c0) / 1e9;
                System.out.printf("pass %d: %.2f s wall, %.2f s cpu, %.2f MB/s wall, %.2f MB per cpu-s%n", pass, s, c, bytes / s / 1048576, bytes / c / 1048576);
            }
        }
    }
}
