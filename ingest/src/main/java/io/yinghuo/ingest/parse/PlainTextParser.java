package io.yinghuo.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text in any of the encodings {@link TextDecoding} recognises. The text is kept exactly as decoded (only line
 * ends normalised). Chapter lines of Chinese books and regulations ("第一章 总则", "第三节 ...") open sections, so
 * chunks carry the chapter they come from.
 */
public final class PlainTextParser implements DocumentParser {

    // A short line that is only a chapter/section number and an optional title.
    private static final Pattern CHAPTER = Pattern.compile(
            "^[ \\t\\u3000]*(第[零〇一二两三四五六七八九十百千万0-9０-９]{1,8}([章卷篇编部]|节))(?:[ \\t\\u3000:：]+\\S.{0,40})?[ \\t\\u3000]*$",
            Pattern.MULTILINE);

    private final int maxCharacters;

    public PlainTextParser(ParseLimits limits) {
        this.maxCharacters = limits.maxCharacters();
    }

    @Override
    public String format() {
        return "text";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        TextDecoding.DecodedText decoded = TextDecoding.decode(fileName, bytes);
        String text = decoded.text();
        if (text.length() > maxCharacters) {
            throw new TextLimitExceededException(maxCharacters);
        }
        if (text.isBlank()) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.EMPTY,
                    "the file contains only whitespace");
        }
        List<ParsedDocument.Section> sections = chapterSections(text);
        return new ParsedDocument(text, FileNames.stem(fileName), format(),
                List.of(new ParsedDocument.PageSpan(1, 0, text.length())), sections, decoded.warnings());
    }

    static List<ParsedDocument.Section> chapterSections(String text) {
        List<ParsedDocument.Section> sections = new ArrayList<>();
        Matcher m = CHAPTER.matcher(text);
        HeadingPath path = new HeadingPath();
        String openPath = null;
        int openStart = 0;
        while (m.find()) {
            int level = m.group(2).equals("节") ? 2 : 1;
            int start = m.start();
            while (start < m.end() && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            if (openPath != null) {
                sections.add(new ParsedDocument.Section(openPath, openStart, trimEnd(text, openStart, start)));
            }
            openPath = path.enter(level, DocumentTextBuilder.collapseWhitespace(m.group()));
            openStart = start;
        }
        if (openPath != null) {
            sections.add(new ParsedDocument.Section(openPath, openStart, trimEnd(text, openStart, text.length())));
        }
        return sections;
    }

    private static int trimEnd(String text, int from, int to) {
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return to;
    }
}
