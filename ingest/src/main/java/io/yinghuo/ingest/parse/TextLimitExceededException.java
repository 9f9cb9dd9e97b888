package io.yinghuo.ingest.parse;

/**
 * Thrown from deep inside a parser callback (where checked exceptions cannot pass) when a document produces more
 * text than allowed; {@link DocumentParsers} turns it into a {@link DocumentParseException}.
 */
final class TextLimitExceededException extends RuntimeException {

    TextLimitExceededException(int maxCharacters) {
        super("the text is longer than " + maxCharacters + " characters, refusing", null, false, false);
    }
}
