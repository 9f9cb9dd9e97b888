package io.yinghuo.web.documents;

import java.util.regex.Pattern;

/**
 * The name an uploaded file is listed (and identified) under. Browsers send a bare name, old ones a full client
 * path; either way only the last path segment is kept, without control or bidirectional-override characters (which
 * could disguise an extension in the UI). The name is never used as a path: the pipeline stores originals under a
 * sanitized name of its own inside the data folder.
 */
final class UploadNames {

    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F]");
    static final int MAX_CHARS = 200;

    private UploadNames() {
    }

    /** The display name, or null when nothing usable is left. */
    static String clean(String submitted) {
        if (submitted == null) {
            return null;
        }
        String name = submitted.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        name = INVISIBLE.matcher(name).replaceAll("").strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return null;
        }
        if (name.length() > MAX_CHARS) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            name = name.substring(0, MAX_CHARS - extension.length()) + extension;
        }
        return name;
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
