package io.yinghuo.ingest.pipeline;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * Keeps the uploaded originals in {@code DIR/originals}, one file per stored version:
 * {@code <document id>.<first 12 hex digits of the content hash>-<safe name>}.
 *
 * <p>Why one flat folder and not a folder per document (the layout of data folders written before, which are
 * still read, synced and cleaned): each new file or folder costs the file system an inode allocation, and on ext4
 * without a journal an allocation skips, one buffer-cache lookup each, every inode freed in the last minutes; with
 * a folder per document that was a quarter of all ingest CPU after a large deletion (perf). One file per document
 * halves it and leaves a single folder to sync per commit. The document id never contains a dot, so
 * {@code <id>.} names exactly one document's files.
 *
 * <p>Safety: the stored name is built from the base name of the upload with every character outside letters,
 * digits and {@code . _ - ( )} replaced by "_", leading dots removed and the length capped. Paths are checked to
 * stay inside the originals folder. The uploaded name is kept only in the catalogue, for display.
 *
 * <p>Crash safety: an original is written to a temporary file and renamed into place, and {@link #sync} forces it
 * (and the folder naming it) to disk <em>before</em> the index commit that references it; a new version sits
 * beside the old one (the hash differs) until the commit succeeds, then the old one is {@link #remove removed}.
 * {@link #retainOnly} removes what no committed catalogue entry references (leftovers of a crash). Saving and
 * syncing are separate so that one thread can sync a whole batch of files just before its commit while other
 * threads go on saving (an fsync per file on the ingest workers kept them waiting on the disk a quarter of the
 * time).
 */
public final class OriginalStore {

    private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{N}._()\\-]");
    /**
     * Most UTF-8 bytes of the uploaded name's part of a stored file name. Linux file systems (ext4, XFS, btrfs) allow
     * 255 bytes per name, and the stored name starts with the document id (up to 64 characters), a dot, 12 hex digits
     * of the hash and a dash. A limit in characters (120) let a long Chinese name, three bytes a character, fail the
     * upload with "File name too long".
     */
    private static final int MAX_NAME_BYTES = 255 - (64 + 1 + 12 + 1);
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
        String name = checkId(docId) + "." + sha256.substring(0, 12) + "-" + safeName(fileName);
        Path target = inside(root.resolve(name));
        Path temp = root.resolve(TEMP_PREFIX + UUID.randomUUID());
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
        return name;
    }

    /**
     * Forces saved originals to disk: their contents and the folders that name them (for data folders of the old
     * layout, also the originals folder that names a new document folder).
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
        folders.add(root);
        for (Path folder : folders) {
            forceDirectory(folder);
        }
    }

    /** The absolute path of a stored original (relative path as returned by {@link #save}). */
    public Path resolve(String relativePath) {
        return inside(root.resolve(relativePath));
    }

    /**
     * Removes one stored original (a replaced or deleted version), and its document folder when that was the last
     * file in it (old layout). Nothing to remove is not an error.
     */
    public void remove(String relativePath) throws IOException {
        if (relativePath == null || relativePath.isEmpty()) {
            return;
        }
        Path file = resolve(relativePath);
        Files.deleteIfExists(file);
        Path folder = file.getParent();
        if (!folder.equals(root)) {
            try {
                Files.deleteIfExists(folder);
            } catch (DirectoryNotEmptyException e) {
                // other files of the document remain
            }
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
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    if (!keep.contains(entry)) {
                        Files.deleteIfExists(entry);
                    }
                    continue;
                }
                boolean empty = true; // a document folder of the old layout
                try (DirectoryStream<Path> files = Files.newDirectoryStream(entry)) {
                    for (Path file : files) {
                        if (keep.contains(file)) {
                            empty = false;
                        } else {
                            deleteRecursively(file);
                        }
                    }
                }
                if (empty) {
                    Files.deleteIfExists(entry);
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
        if (utf8Length(safe) > MAX_NAME_BYTES) {
            int dot = safe.lastIndexOf('.');
            String extension = dot > 0 && safe.length() - dot <= 10 ? safe.substring(dot) : "";
            String stem = safe.substring(0, safe.length() - extension.length());
            safe = utf8Prefix(stem, MAX_NAME_BYTES - utf8Length(extension)) + extension;
        }
        return safe.isEmpty() ? "file" : safe;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest prefix of whole characters (code points) that takes at most {@code maxBytes} in UTF-8. */
    private static String utf8Prefix(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
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
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
