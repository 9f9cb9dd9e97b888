package io.yinghuo.retrieval.rag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A document a question may name: its id and the names a user would write for it (title, file name, file name
 * without its extension).
 */
public record NamedDocument(String docId, List<String> names) {

    public NamedDocument {
        Objects.requireNonNull(docId, "docId");
        names = List.copyOf(names);
    }

    /**
     * The names of a document with this title and file name: the title, the file name as uploaded (it may carry
     * folders, "docs/报告.pdf"), its last segment and that without the extension (blank and duplicate names left
     * out).
     */
    public static NamedDocument of(String docId, String title, String fileName) {
        Set<String> names = new LinkedHashSet<>();
        add(names, title);
        add(names, fileName);
        if (fileName != null) {
            String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
            add(names, base);
            int dot = base.lastIndexOf('.');
            if (dot > 0) {
                add(names, base.substring(0, dot));
            }
        }
        return new NamedDocument(docId, new ArrayList<>(names));
    }

    private static void add(Set<String> names, String name) {
        if (name != null && !name.isBlank()) {
            names.add(name.strip());
        }
    }

    /** Whether {@code name} carries a file extension ("报告.pdf"), which makes a bare mention unambiguous. */
    static boolean hasExtension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return false;
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.length() <= 5 && ext.chars().allMatch(Character::isLetterOrDigit);
    }
}
