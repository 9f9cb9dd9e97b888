package io.yinghuo.ingest.pipeline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The layout of a data folder, shared by the command line and the web app:
 * <pre>
 *   DIR/index/       the Lucene index: chunks and the document catalogue (committed together)
 *   DIR/originals/   the uploaded originals, DIR/originals/&lt;docId&gt;/&lt;sha256 prefix&gt;-&lt;safe file name&gt;
 *   DIR/ocr/         the OCR word boxes of scans, DIR/ocr/&lt;docId&gt;.&lt;sha256 prefix&gt;.json.gz ({@link WordBoxStore})
 * </pre>
 * The default data folder is {@code ./data} (relative to the working directory).
 */
public record DataFolder(Path root) {

    public static final Path DEFAULT_ROOT = Path.of("data");

    public DataFolder {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
    }

    public static DataFolder at(Path root) {
        return new DataFolder(root);
    }

    public Path index() {
        return root.resolve("index");
    }

    public Path originals() {
        return root.resolve("originals");
    }

    public Path wordBoxes() {
        return root.resolve("ocr");
    }
}
