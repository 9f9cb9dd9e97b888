package io.yinghuo.ingest.pipeline;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the uploaded originals under {@code DIR/originals}, one folder per document id.
 *
 * <p>Safety: the stored name is built from the base name of the upload with every character outside letters,
 * digits and {@code . _ - ( )} replaced by "_", leading dots removed and the length capped, prefixed with the first
 * 12 hex digits of the content hash. Paths are checked to stay inside the originals folder. The uploaded name is
 * kept only in the catalogue, for display.
 *
 * <p>Crash safety: an original is written to a temporary file and renamed into place, and {@link #sync} forces it
 * (and the folders naming it) to disk <em>before</em> the index commit that references it; a new version sits
 * beside the old one (the hash prefix differs) until the commit succeeds. {@link #retainOnly} removes what no
 * committed catalogue entry references (leftovers of a crash). Saving and syncing are separate so that one thread
 * can sync a whole batch of files just before its commit while other threads go on saving (an fsync per file on
 * the ingest workers kept them waiting on the disk a quarter of the time).
 */
public final class OriginalStore {

    private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{N}._()\\-]");
    private static final int MAX_NAME_CHARS = 120;
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;

    public OriginalStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
    }

    public Path root() {
        return root;
    }

    /**
     * Stores the bytes, not yet durably (see {@link #sync}); returns the path relative to the originals folder
     * ("/"-separated).
     */
    public String save(String docId, String fileName, String sha256, byte[] bytes) throws IOException {
        Path folder = inside(root.resolve(checkId(docId)));
        Files.createDirectories(folder);
        String name = sha256.substring(0, 12) + "-" + safeName(fileName);
        Path target = inside(folder.resolve(name));
        Path temp = folder.resolve(TEMP_PREFIX + UUID.randomUUID());
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return docId + "/" + name;
    }

    /**
     * Forces saved originals to disk: their contents, the document folders that name them and the originals
     * folder that names those (a document's folder may be new).
     */
    public void sync(Collection<String> relativePaths) throws IOException {
        if (relativePaths.isEmpty()) {
            return;
        }
        Set<Path> folders = new LinkedHashSet<>();
        for (String relativePath : relativePaths) {
            Path file = resolve(relativePath);
            // Opened for writing: some platforms refuse to sync a file opened read-only.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            } catch (NoSuchFileException e) {
                continue; // removed since (a newer version replaced it): nothing to make durable
            }
            folders.add(file.getParent());
        }
        for (Path folder : folders) {
            forceDirectory(folder);
        }
        forceDirectory(root);
    }

    /** The absolute path of a stored original (relative path as returned by {@link #save}). */
    public Path resolve(String relativePath) {
        return inside(root.resolve(relativePath));
    }

    /** Removes every stored file of a document except {@code keepRelativePath} (null removes all). */
    public void removeAllBut(String docId, String keepRelativePath) throws IOException {
        Path folder = inside(root.resolve(checkId(docId)));
        if (!Files.isDirectory(folder)) {
            return;
        }
        Path keep = keepRelativePath == null ? null : resolve(keepRelativePath);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (!file.equals(keep)) {
                    deleteRecursively(file);
                }
            }
        }
        if (keep == null) {
            Files.deleteIfExists(folder);
        }
    }

    /** Deletes everything not in {@code referencedPaths} (relative paths): crash leftovers and temporary files. */
    public void retainOnly(Set<String> referencedPaths) throws IOException {
        Set<Path> keep = new HashSet<>();
        for (String path : referencedPaths) {
            if (!path.isEmpty()) {
                keep.add(resolve(path));
            }
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                if (!Files.isDirectory(folder)) {
                    deleteRecursively(folder);
                    continue;
                }
                boolean empty = true;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                    for (Path file : files) {
                        if (keep.contains(file)) {
                            empty = false;
                        } else {
                            deleteRecursively(file);
                        }
                    }
                }
                if (empty) {
                    Files.deleteIfExists(folder);
                }
            }
        }
    }

    /** A name that is safe as one path segment on every common file system; never empty, never dot-leading. */
    static String safeName(String fileName) {
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        String safe = UNSAFE.matcher(base).replaceAll("_");
        int dots = 0;
        while (dots < safe.length() && safe.charAt(dots) == '.') {
            dots++;
        }
        safe = safe.substring(dots);
        if (safe.length() > MAX_NAME_CHARS) {
            int dot = safe.lastIndexOf('.');
            String extension = dot > 0 && safe.length() - dot <= 10 ? safe.substring(dot) : "";
            safe = safe.substring(0, MAX_NAME_CHARS - extension.length()) + extension;
        }
        return safe.isEmpty() ? "file" : safe;
    }

    private static String checkId(String docId) {
        if (!docId.matches("[0-9A-Za-z_-]{1,64}")) {
            throw new IllegalArgumentException("not a document id: " + docId);
        }
        return docId;
    }

    private Path inside(Path path) {
        Path normal = path.toAbsolutePath().normalize();
        if (!normal.startsWith(root) || normal.equals(root)) {
            throw new IllegalArgumentException("path escapes the originals folder: " + path);
        }
        return normal;
    }

    private static void forceDirectory(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for syncing; the rename is still atomic there.
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
