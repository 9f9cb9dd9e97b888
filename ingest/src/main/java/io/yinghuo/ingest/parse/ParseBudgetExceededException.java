package io.yinghuo.ingest.parse;

/**
 * Thrown from a parser's loop (often inside a library callback, where checked exceptions cannot pass) when the
 * document's {@link ParseBudget} is spent; {@link DocumentParsers} turns it into a {@link DocumentParseException}
 * with {@link DocumentParseException.Reason#OVER_BUDGET}.
 */
final class ParseBudgetExceededException extends RuntimeException {

    ParseBudgetExceededException(String detail) {
        super(detail, null, false, false);
    }
}
