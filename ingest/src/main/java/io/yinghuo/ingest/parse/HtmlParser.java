package io.yinghuo.ingest.parse;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML via jsoup: h1–h6 give the heading path, block elements become lines, table rows become tab-separated lines,
 * script/style/nav and other non-content elements are skipped, {@code <pre>} keeps its line breaks. The charset comes
 * from a BOM or the page's own {@code <meta charset>} declaration (GB2312/GBK declarations are read as their
 * superset GB18030), otherwise from {@link TextDecoding}'s detection.
 */
public final class HtmlParser implements DocumentParser {

    private static final Set<String> SKIPPED = Set.of("script", "style", "noscript", "template", "nav", "svg",
            "head", "iframe", "object", "embed", "canvas", "select", "button", "math");
    private static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "main", "header", "footer",
            "aside", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
            "caption", "figure", "figcaption", "form", "fieldset", "legend", "address", "details", "summary", "hr",
            "body", "center", "h1", "h2", "h3", "h4", "h5", "h6");
    private static final Pattern META_CHARSET = Pattern.compile(
            "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9_\\-:.]+)", Pattern.CASE_INSENSITIVE);

    private final int maxCharacters;

    public HtmlParser(ParseLimits limits) {
        this.maxCharacters = limits.maxCharacters();
    }

    @Override
    public String format() {
        return "html";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        DocumentTextBuilder out = new DocumentTextBuilder(fileName, maxCharacters);
        Document html = Jsoup.parse(decode(fileName, bytes, out));
        Element body = html.body();
        String title = html.title();
        if (title.isBlank()) {
            Element h1 = body.selectFirst("h1");
            title = h1 != null ? h1.text() : null;
        }
        Collector collector = new Collector(out);
        body.filter(collector);
        collector.flush();
        return out.build(title, format());
    }

    private static String decode(String fileName, byte[] bytes, DocumentTextBuilder out)
            throws DocumentParseException {
        boolean bom = bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xEF || (bytes[0] & 0xFF) == 0xFF
                || (bytes[0] & 0xFF) == 0xFE);
        Charset declared = bom ? null : declaredCharset(bytes);
        if (declared != null) {
            return TextDecoding.normalizeNewlines(new String(bytes, declared));
        }
        TextDecoding.DecodedText decoded = TextDecoding.decode(fileName, bytes);
        decoded.warnings().forEach(out::warn);
        return decoded.text();
    }

    private static Charset declaredCharset(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
        Matcher m = META_CHARSET.matcher(head);
        if (!m.find()) {
            return null;
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        if (name.equals("gb2312") || name.equals("gbk") || name.equals("x-gbk") || name.equals("gb18030")) {
            // Pages that declare GB2312 routinely use GBK characters; GB18030 decodes them all.
            return Charset.forName("GB18030");
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** Walks the body, gathering inline text of the current block and flushing it at block boundaries. */
    private static final class Collector implements NodeFilter {

        private final DocumentTextBuilder out;
        private final StringBuilder line = new StringBuilder();
        private int preDepth;

        Collector(DocumentTextBuilder out) {
            this.out = out;
        }

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode text) {
                line.append(preDepth > 0 ? text.getWholeText().replace("\n", "\u0000") : text.getWholeText());
                return FilterResult.CONTINUE;
            }
            if (!(node instanceof Element element)) {
                return FilterResult.CONTINUE;
            }
            String tag = element.normalName();
            if (SKIPPED.contains(tag) || "navigation".equals(element.attr("role")) || element.hasAttr("hidden")) {
                return FilterResult.SKIP_ENTIRELY;
            }
            if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                flush();
                out.heading(tag.charAt(1) - '0', element.text());
                return FilterResult.SKIP_ENTIRELY;
            }
            if (BLOCKS.contains(tag)) {
                flush();
            }
            switch (tag) {
                case "br" -> line.append('\u0000');
                case "td", "th" -> {
                    if (!line.isEmpty()) {
                        line.append('\t');
                    }
                }
                case "pre" -> preDepth++;
                case "img" -> line.append(element.attr("alt"));
                default -> {
                }
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element element) {
                String tag = element.normalName();
                if ("pre".equals(tag)) {
                    flush();
                    preDepth--;
                } else if (BLOCKS.contains(tag)) {
                    flush();
                }
            }
            return FilterResult.CONTINUE;
        }

        void flush() {
            if (line.isEmpty()) {
                return;
            }
            // Table cells are separated by tabs; keep those, join source line wrapping like a browser would.
            StringBuilder joined = new StringBuilder();
            String[] cells = line.toString().split("\t", -1);
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    joined.append('\t');
                }
                String cell = cells[i];
                if (preDepth > 0) {
                    joined.append(cell);
                } else {
                    String[] hardLines = cell.split("\u0000", -1);
                    for (int j = 0; j < hardLines.length; j++) {
                        if (j > 0) {
                            joined.append('\u0000');
                        }
                        joined.append(CjkText.joinLines(hardLines[j]));
                    }
                }
            }
            out.paragraph(joined.toString().replace('\u0000', '\n'));
            line.setLength(0);
        }
    }
}
