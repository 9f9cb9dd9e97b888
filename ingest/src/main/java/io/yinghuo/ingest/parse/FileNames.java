package io.yinghuo.ingest.parse;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Whatever name a browser or client sent for an upload, in the two forms the product needs: the name it is shown and
 * identified under ({@link #displayName}: no directories, no invisible or disguising characters, capped) and, from
 * that, a name safe to store and log ({@link #safe}: also no characters Windows forbids, no {@code ..}, no reserved
 * device names, at most {@link #MAX_UTF8_BYTES} bytes of UTF-8, never empty). Chinese and other letters are kept as
 * they are (NFC-normalised, since macOS sends decomposed names).
 */
public final class FileNames {

    /** Common file-system limit is 255 bytes per name; keep room for a suffix such as "-2". */
    public static final int MAX_UTF8_BYTES = 200;
    public static final String FALLBACK = "unnamed";
    /** A displayed name's limit in code points: long enough for the longest titles of Chinese official documents. */
    public static final int MAX_DISPLAY_CHARS = 200;
    /** The longest extension a cut keeps (".abcdefghijklmno"); a longer "extension" is part of the name. */
    private static final int MAX_EXTENSION_CHARS = 16;

    private static final Set<String> WINDOWS_RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private FileNames() {
    }

    /**
     * The name an upload is listed and identified under: what the browser sent, NFC-normalised, its last path segment
     * only, without control, bidi-override, zero-width, private-use or unassigned characters (which could disguise an
     * extension in the UI or make two names that look the same differ), stripped, and cut to
     * {@link #MAX_DISPLAY_CHARS} code points keeping an extension of up to 15 characters. Characters a file system
     * forbids are kept: the name is shown, never used as a path ({@link #safe} is).
     *
     * @return the name, or null when nothing usable is left (empty, ".", "..")
     */
    public static String displayName(String uploadName) {
        if (uploadName == null) {
            return null;
        }
        String name = Normalizer.normalize(uploadName, Normalizer.Form.NFC);
        // Old browsers send the full client path ("C:\\Users\\x\\报告.pdf"); keep its last segment only.
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().filter(cp -> !isDropped(cp)).forEach(out::appendCodePoint);
        name = out.toString().strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return null;
        }
        return cutToCodePoints(name);
    }

    /**
     * A name safe to store under: the {@link #displayName} with the characters Windows forbids as "_", no leading
     * dots, no trailing dots or spaces, a reserved device name prefixed, at most {@link #MAX_UTF8_BYTES} bytes of
     * UTF-8; {@link #FALLBACK} when nothing is left.
     */
    public static String safe(String uploadName) {
        String name = displayName(uploadName);
        if (name == null) {
            return FALLBACK;
        }
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> out.appendCodePoint(isForbidden(cp) ? '_' : cp));
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

    /** The last ".ext" of a name when it is short enough to keep through a cut, otherwise "". */
    private static String extensionToKeep(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && name.length() - dot <= MAX_EXTENSION_CHARS ? name.substring(dot) : "";
    }

    /** Cuts the stem (never the extension, never inside a code point) to MAX_DISPLAY_CHARS code points in all. */
    private static String cutToCodePoints(String name) {
        if (name.codePointCount(0, name.length()) <= MAX_DISPLAY_CHARS) {
            return name;
        }
        String ext = extensionToKeep(name);
        String stem = name.substring(0, name.length() - ext.length());
        int keep = MAX_DISPLAY_CHARS - ext.codePointCount(0, ext.length());
        return stem.substring(0, stem.offsetByCodePoints(0, keep)).strip() + ext;
    }

    /** Cuts the stem (never the extension, never inside a code point) until the UTF-8 form fits. */
    private static String truncate(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_UTF8_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = extensionToKeep(name);
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
