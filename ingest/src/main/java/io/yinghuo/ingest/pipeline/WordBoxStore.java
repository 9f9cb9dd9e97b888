package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.ParsedDocument.OcrPage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Keeps the OCR word boxes of scanned documents in {@code DIR/ocr}, one gzip-compressed JSON file per document
 * version: {@code <document id>.<first 12 hex digits of the content hash>.json.gz} ({@link WordBoxJson}).
 *
 * <p>Why files beside the index and not a stored field of the catalogue entry: the index rebuilds a document's
 * catalogue entry from its {@code DocumentRecord} when it moves a collection ({@code ChunkIndex.stageMove}) and when
 * it adds vectors ({@code stageVectors}); a field the record does not carry would be lost there, and the boxes of
 * a 300-page scan (about 150,000 words) would be read with every catalogue lookup. The boxes are only needed when
 * the viewer shows a page, so they live in a file of their own, read then.
 *
 * <p>Why the content hash in the name: the catalogue entry names the version it holds by its hash, so the file of
 * the committed version is known without any other bookkeeping, and a new version is written beside the old one
 * instead of over it. Whatever a crash interrupts, the committed entry still finds its own boxes, never those of
 * a version that was not committed; {@link #retainOnly} then removes the files of versions no entry names. The
 * document id never contains a dot, so {@code <id>.} names exactly one document's files.
 *
 * <p>Crash safety: {@link #save} writes a temporary file, forces it to disk, renames it into place and forces the
 * folder, all before returning, so the file is durable before the document is staged and hence before any commit
 * that publishes it (the order {@link OriginalStore} keeps for originals). One fsync per scanned document costs
 * milliseconds against the seconds OCR takes per page, so unlike the originals it is not deferred to the commit.
 */
public final class WordBoxStore {

    private static final String SUFFIX = ".json.gz";
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;

    public WordBoxStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
    }

    /** The file name of a document version's boxes. */
    static String fileName(String docId, String sha256) {
        if (!names(docId, sha256)) {
            throw new IllegalArgumentException("not a document id and content hash: " + docId + ", " + sha256);
        }
        return docId + "." + sha256.substring(0, 12) + SUFFIX;
    }

    /** Whether a document id and content hash can name a file here (never a path outside the folder). */
    static boolean names(String docId, String sha256) {
        return docId != null && sha256 != null && docId.matches("[0-9A-Za-z_-]{1,64}")
                && sha256.matches("[0-9a-f]{12,}");
    }

    /** Stores the boxes of a document version durably (see the class comment); replaces an earlier copy. */
    public void save(String docId, String sha256, List<OcrPage> pages) throws IOException {
        Path target = root.resolve(fileName(docId, sha256));
        Path temp = root.resolve(TEMP_PREFIX + UUID.randomUUID());
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            GZIPOutputStream out = new GZIPOutputStream(Channels.newOutputStream(channel), 1 << 16);
            WordBoxJson.write(pages, out);
            out.finish(); // not close(): that would close the channel before it is forced
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceFolder();
    }

    /** The boxes of a document version, in page order; empty when it has none (not a scan, or removed since). */
    public Optional<List<OcrPage>> read(String docId, String sha256) throws IOException {
        if (!names(docId, sha256)) {
            return Optional.empty();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve(fileName(docId, sha256))),
                1 << 16)) {
            return Optional.of(WordBoxJson.read(in));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Whether a document version has boxes stored. */
    public boolean has(String docId, String sha256) {
        return names(docId, sha256) && Files.isRegularFile(root.resolve(fileName(docId, sha256)));
    }

    /** Removes a document version's boxes; nothing to remove is not an error. */
    public void remove(String docId, String sha256) throws IOException {
        if (names(docId, sha256)) {
            Files.deleteIfExists(root.resolve(fileName(docId, sha256)));
        }
    }

    /** Deletes every file not named in {@code keep} (see {@link #fileName}): crash leftovers and temporary files. */
    public void retainOnly(Set<String> keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (!keep.contains(entry.getFileName().toString()) && Files.isRegularFile(entry)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    private void forceFolder() {
        try (FileChannel folder = FileChannel.open(root, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for syncing; the rename is still atomic there.
        }
    }
}
