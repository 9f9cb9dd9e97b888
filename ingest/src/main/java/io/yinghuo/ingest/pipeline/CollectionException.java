package io.yinghuo.ingest.pipeline;

/** A collection change that cannot be made, with the reason (for a status code and a message in the user's language). */
public final class CollectionException extends IllegalArgumentException {

    /** Why. */
    public enum Reason {
        NAME_EMPTY("the collection name must not be empty"),
        NAME_TOO_LONG("the collection name is longer than " + CollectionNames.MAX_LENGTH + " characters"),
        NAME_HAS_CONTROL_CHARACTERS("the collection name contains control characters"),
        EXISTS("a collection with this name already exists"),
        NOT_FOUND("there is no collection with this name"),
        DEFAULT_COLLECTION("the default collection cannot be renamed or deleted");

        private final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    private final Reason reason;
    private final String name;

    public CollectionException(Reason reason, String name) {
        super(reason.text + (name.isEmpty() ? "" : ": \"" + name + "\""));
        this.reason = reason;
        this.name = name;
    }

    public Reason reason() {
        return reason;
    }

    /** The collection name the change was about (as normalized, or as given when it is invalid). */
    public String name() {
        return name;
    }
}
