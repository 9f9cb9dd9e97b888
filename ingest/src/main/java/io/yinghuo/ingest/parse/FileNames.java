package io.yinghuo.ingest.parse;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Turns whatever name a browser or client sent for an upload into a name that is safe to show, log and store:
 * no directories, no {@code ..}, no control or bidi-override characters, no characters Windows forbids, no
 * reserved device names, at most {@link #MAX_UTF8_BYTES} bytes of UTF-8, never empty. Chinese and other letters are
 * kept as they are (NFC-normalised, since macOS sends decomposed names).
 */
public final class FileNames {

    /** Common file-system limit is 255 bytes per name; keep room for a suffix such as "-2". */
    public static final int MAX_UTF8_BYTES = 200;
    public static final String FALLBACK = "unnamed";

    private static final Set<String> WINDOWS_RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private FileNames() {
    }

    public static String safe(String uploadName) {
        if (uploadName == null) {
            return FALLBACK;
        }
        String name = Normalizer.normalize(uploadName, Normalizer.Form.NFC);
        // Old browsers send the full client path ("C:\\Users\\x\\报告.pdf"); keep its last segment only.
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);

        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (isDropped(cp)) {
                continue;
            }
            out.appendCodePoint(isForbidden(cp) ? '_' : cp);
        }
        name = out.toString().strip();
        // Leading dots make hidden files (and ".." a parent directory); trailing dots and spaces vanish on Windows.
        int from = 0;
        while (from < name.length() && name.charAt(from) == '.') {
            from++;
        }
        int to = name.length();
        while (to > from && (name.charAt(to - 1) == '.' || name.charAt(to - 1) == ' ')) {
            to--;
        }
        name = name.substring(from, to).strip();
        if (name.isEmpty() || name.chars().allMatch(c -> c == '_')) {
            return FALLBACK;
        }
        int dot = name.indexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        if (WINDOWS_RESERVED.contains(stem.strip().toUpperCase(Locale.ROOT))) {
            name = "_" + name;
        }
        return truncate(name);
    }

    /**
     * The lower-case extension without the dot ("pdf" for "报告.PDF"), or "" when there is none. Applied to the
     * sanitised name, so "a.pdf/.." has none.
     */
    public static String extension(String fileName) {
        String name = safe(fileName);
        int dot = name.lastIndexOf('.');
        return dot <= 0 || dot == name.length() - 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The name without its extension, for a title: "报告" for "报告.pdf". */
    public static String stem(String fileName) {
        String name = safe(fileName);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    private static boolean isDropped(int cp) {
        if (Character.isISOControl(cp)) {
            return true;
        }
        // Bidi controls can disguise "gpj.exe" as "exe.jpg"; zero-width characters hide in plain sight.
        return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0xFEFF || cp == 0xFFFD || Character.getType(cp) == Character.UNASSIGNED
                || Character.getType(cp) == Character.PRIVATE_USE || Character.getType(cp) == Character.SURROGATE;
    }

    private static boolean isForbidden(int cp) {
        return cp == '<' || cp == '>' || cp == ':' || cp == '"' || cp == '|' || cp == '?' || cp == '*'
                || cp == '/' || cp == '\\';
    }

    /** Cuts the stem (never the extension, never inside a code point) until the UTF-8 form fits. */
    private static String truncate(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_UTF8_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        String stem = ext.isEmpty() ? name : name.substring(0, dot);
        int budget = MAX_UTF8_BYTES - ext.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + bytes > budget) {
                break;
            }
            kept.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        return kept.toString().strip() + ext;
    }
}
