package io.yinghuo.ingest.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content hashes and document ids. */
public final class DocumentIds {

    private DocumentIds() {
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /**
     * The id of the document a file name maps to in a collection: uploading the same name again replaces that
     * document. 20 hex characters of SHA-256 (80 bits), safe as a folder name.
     */
    public static String forFile(String collection, String fileName) {
        return forFile(collection, fileName, 0);
    }

    /**
     * The {@code attempt}-th candidate id for a file name in a collection: attempt 0 is {@link #forFile(String,
     * String)}; later attempts are for when a document moved by a collection rename keeps the id the name would
     * have had ({@link DocumentIdResolver}).
     */
    static String forFile(String collection, String fileName, int attempt) {
        MessageDigest digest = digest();
        digest.update(collection.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(fileName.getBytes(StandardCharsets.UTF_8));
        if (attempt > 0) {
            digest.update((byte) 0);
            digest.update(Integer.toString(attempt).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 20);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
