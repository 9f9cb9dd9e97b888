package io.yinghuo.ingest.parse;

import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;
import org.jsoup.Jsoup;

import java.util.List;

/**
 * Markdown (CommonMark + GFM tables) to readable text: heading levels give the heading path, emphasis/link/image
 * syntax disappears (link text and image alt text stay), lists keep a "- " or "1. " marker, code blocks keep their
 * lines, table rows become tab-separated lines, inline HTML is dropped and HTML blocks keep their text.
 */
public final class MarkdownParser implements DocumentParser {

    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    private final int maxCharacters;

    public MarkdownParser(ParseLimits limits) {
        this.maxCharacters = limits.maxCharacters();
    }

    @Override
    public String format() {
        return "markdown";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        TextDecoding.DecodedText decoded = TextDecoding.decode(fileName, bytes);
        if (MarkdownNesting.depth(decoded.text()) > MarkdownNesting.MAX_DEPTH) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.TOO_COMPLEX,
                    "lists or quotes are nested more than " + MarkdownNesting.MAX_DEPTH + " levels deep, refusing");
        }
        String markdown = MarkdownNesting.escapeCrowdedEmphasis(decoded.text());
        Node root = PARSER.parse(markdown);
        DocumentTextBuilder out = new DocumentTextBuilder(fileName, maxCharacters);
        decoded.warnings().forEach(out::warn);
        String title = null;
        for (Node block = root.getFirstChild(); block != null; block = block.getNext()) {
            if (title == null && block instanceof Heading h && h.getLevel() == 1) {
                title = CjkText.joinLines(inline(h));
            }
            block(block, out, "");
        }
        return out.build(title != null ? title : out.firstHeading(), format());
    }

    private static void block(Node node, DocumentTextBuilder out, String prefix) {
        if (node instanceof Heading h) {
            out.heading(h.getLevel(), CjkText.joinLines(inline(h)));
        } else if (node instanceof Paragraph p) {
            out.paragraph(prefix + inline(p));
        } else if (node instanceof BulletList || node instanceof OrderedList) {
            int number = node instanceof OrderedList ol && ol.getMarkerStartNumber() != null
                    ? ol.getMarkerStartNumber() : 1;
            for (Node item = node.getFirstChild(); item != null; item = item.getNext()) {
                String marker = node instanceof OrderedList ? (number++) + ". " : "- ";
                listItem(item, out, marker);
            }
        } else if (node instanceof FencedCodeBlock code) {
            out.paragraph(code.getLiteral());
        } else if (node instanceof IndentedCodeBlock code) {
            out.paragraph(code.getLiteral());
        } else if (node instanceof HtmlBlock html) {
            out.paragraph(Jsoup.parse(html.getLiteral()).text());
        } else if (node instanceof TableBlock) {
            table(node, out);
        } else if (!(node instanceof ThematicBreak)) {
            // Document, BlockQuote, custom containers: their blocks in order.
            for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                block(child, out, prefix);
            }
        }
    }

    private static void listItem(Node item, DocumentTextBuilder out, String marker) {
        if (!(item instanceof ListItem)) {
            block(item, out, "");
            return;
        }
        String prefix = marker;
        for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
            block(child, out, prefix);
            prefix = "";
        }
    }

    private static void table(Node table, DocumentTextBuilder out) {
        // TableHead / TableBody hold the rows.
        for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                if (!(row instanceof TableRow)) {
                    continue;
                }
                StringBuilder line = new StringBuilder();
                for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                    if (cell instanceof TableCell) {
                        if (line.length() > 0) {
                            line.append('\t');
                        }
                        line.append(CjkText.joinLines(inline(cell)));
                    }
                }
                out.paragraph(line);
            }
        }
    }

    /** The readable text of an inline container; soft breaks join like wrapped lines, hard breaks stay. */
    private static String inline(Node container) {
        StringBuilder text = new StringBuilder();
        appendInline(container, text);
        return CjkText.joinLines(text.toString().replace("\u2028", "\u0000")).replace('\u0000', '\n');
    }

    /**
     * Depth-first without recursion: emphasis nests as deep as its delimiters allow ("****x****" is strong inside
     * strong), which the line-prefix bound of {@link MarkdownNesting} does not see.
     */
    private static void appendInline(Node container, StringBuilder text) {
        Node child = container.getFirstChild();
        while (child != null) {
            Node descend = null;
            if (child instanceof Text t) {
                text.append(t.getLiteral());
            } else if (child instanceof Code c) {
                text.append(c.getLiteral());
            } else if (child instanceof SoftLineBreak) {
                text.append('\n');
            } else if (child instanceof HardLineBreak) {
                text.append('\u2028');
            } else if (!(child instanceof HtmlInline)) {
                descend = child.getFirstChild();
            }
            if (descend != null) {
                child = descend;
                continue;
            }
            // Next sibling, or the next sibling of the nearest ancestor below the container that has one.
            while (child != null && child != container && child.getNext() == null) {
                child = child.getParent();
            }
            child = child == null || child == container ? null : child.getNext();
        }
    }
}
