package io.yinghuo.ingest.pipeline;

/**
 * The rules for collection (knowledge base) names, in one place for uploads, the CLI and the collection editor.
 *
 * <p>A name is shown in lists and menus and compared exactly, so it is stripped of surrounding white space and may
 * not contain control characters (they would be invisible there, and two names that look the same would differ).
 */
public final class CollectionNames {

    /** The longest name, in UTF-16 chars: long enough for a descriptive name, short enough for a menu. */
    public static final int MAX_LENGTH = 100;

    private CollectionNames() {
    }

    /**
     * The name as it is stored: stripped; "" (the default collection) for null or blank.
     *
     * @throws CollectionException {@link CollectionException.Reason#NAME_TOO_LONG} or
     *                             {@link CollectionException.Reason#NAME_HAS_CONTROL_CHARACTERS}
     */
    public static String normalize(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.length() > MAX_LENGTH) {
            throw new CollectionException(CollectionException.Reason.NAME_TOO_LONG, stripped);
        }
        if (stripped.codePoints().anyMatch(Character::isISOControl)) {
            throw new CollectionException(CollectionException.Reason.NAME_HAS_CONTROL_CHARACTERS, stripped);
        }
        return stripped;
    }

    /** As {@link #normalize}, refusing the default collection's empty name ({@link CollectionException.Reason#NAME_EMPTY}). */
    public static String requireNamed(String name) {
        String normalized = normalize(name);
        if (normalized.isEmpty()) {
            throw new CollectionException(CollectionException.Reason.NAME_EMPTY, normalized);
        }
        return normalized;
    }
}
