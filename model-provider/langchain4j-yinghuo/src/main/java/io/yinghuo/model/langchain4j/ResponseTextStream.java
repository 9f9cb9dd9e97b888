package io.yinghuo.model.langchain4j;

import io.yinghuo.model.generate.TextStreamListener;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams the user-facing text of a tool-format answer ({@link ToolCallFormat}) as it is generated: when the answer
 * is {@code {"response": "…"}}, the string's characters (JSON escapes decoded, RFC 8259 section 7) go to
 * {@code target} piece by piece; a tool call streams nothing (its requests arrive with the complete response), and
 * neither does a structured (non-string) response, which arrives whole.
 *
 * <p>The grammar has already fixed the form, so this only has to find where the string starts and decode; an
 * escape split across pieces waits for its end.
 */
final class ResponseTextStream implements TextStreamListener {

    /** The answer's start up to the response string's opening quote (whitespace as the grammar allows). */
    private static final Pattern OPENING = Pattern.compile("^\\s*\\{\\s*\"response\"\\s*:\\s*\"");

    private final TextStreamListener target;
    private final StringBuilder raw = new StringBuilder();
    /** Where the string's undecoded content starts in {@code raw}; -1 until found, -2 when not a text response. */
    private int next = -1;

    ResponseTextStream(TextStreamListener target) {
        this.target = target;
    }

    /**
     * The user-facing text of a tool-format answer cut before its end (LENGTH, a cancel): the response string's
     * characters so far, as they were streamed; "" for a cut tool call or a structured response.
     */
    static String textOf(String partialAnswer) {
        StringBuilder text = new StringBuilder();
        new ResponseTextStream(text::append).onText(partialAnswer);
        return text.toString();
    }

    @Override
    public void onText(String piece) {
        raw.append(piece);
        if (next == -1) {
            Matcher opening = OPENING.matcher(raw);
            if (opening.find()) {
                next = opening.end();
            } else if (!couldStillOpen()) {
                next = -2;
            }
        }
        if (next >= 0) {
            emitDecoded();
        }
    }

    /** Whether the text so far is a prefix of {@code {"response": "}. */
    private boolean couldStillOpen() {
        String compact = raw.toString().replaceAll("\\s", "");
        String opening = "{\"response\":\"";
        return opening.startsWith(compact);
    }

    private void emitDecoded() {
        StringBuilder out = new StringBuilder();
        int i = next;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '"') { // the string's end: nothing after it is text
                next = -2;
                break;
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= raw.length()) {
                break; // the escape's end has not arrived yet
            }
            char e = raw.charAt(i + 1);
            if (e == 'u') {
                if (i + 6 > raw.length()) {
                    break;
                }
                out.append((char) Integer.parseInt(raw.substring(i + 2, i + 6), 16));
                i += 6;
                continue;
            }
            out.append(switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> e; // \" \\ \/
            });
            i += 2;
        }
        if (next >= 0) {
            next = i;
        }
        if (out.length() > 0) {
            target.onText(out.toString());
        }
    }
}
