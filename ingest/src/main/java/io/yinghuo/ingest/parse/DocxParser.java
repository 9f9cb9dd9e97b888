package io.yinghuo.ingest.parse;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFSDT;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTDecimalNumber;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTPPrGeneral;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DOCX via POI XWPF, body in document order: heading paragraphs (built-in "heading N" styles, localised names such
 * as "标题 1", or an outline level on the paragraph or its style chain) give the heading path; a "Title" paragraph
 * gives the title; a table's first row is its header, and each further row a "header: value; ..." line. The zip is checked by {@link ZipGuard} first.
 */
public final class DocxParser implements DocumentParser {

    private static final Pattern HEADING_NAME = Pattern.compile("(?i)^(?:heading|标题|標題|titre|überschrift)\\s*([1-9])$");

    private final ParseLimits limits;

    public DocxParser(ParseLimits limits) {
        this.limits = limits;
    }

    @Override
    public String format() {
        return "docx";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        OPCPackage pkg = OfficeFiles.open(fileName, bytes, limits, "DOCX");
        try (XWPFDocument doc = new XWPFDocument(pkg)) {
            DocumentTextBuilder out = new DocumentTextBuilder(fileName, limits.maxCharacters());
            String title = null;
            for (IBodyElement element : doc.getBodyElements()) {
                if (element instanceof XWPFParagraph p) {
                    String text = p.getText();
                    int level = headingLevel(p, doc.getStyles());
                    if (level == 0 && title == null && !text.isBlank()) {
                        title = DocumentTextBuilder.collapseWhitespace(text);
                        out.paragraph(text);
                    } else if (level > 0) {
                        out.heading(level, text);
                    } else {
                        out.paragraph(text);
                    }
                } else if (element instanceof XWPFTable table) {
                    table(table, out);
                } else if (element instanceof XWPFSDT sdt) {
                    out.paragraph(sdt.getContent().getText());
                }
            }
            String metadataTitle = doc.getProperties() == null ? null
                    : doc.getProperties().getCoreProperties().getTitle();
            if (metadataTitle != null && !metadataTitle.isBlank()) {
                title = metadataTitle;
            }
            return out.build(title != null ? title : out.firstHeading(), format());
        } catch (IOException e) {
            throw OfficeFiles.failure(fileName, e, "DOCX");
        } catch (RuntimeException e) {
            if (OfficeFiles.isPoiFailure(e)) {
                throw OfficeFiles.failure(fileName, e, "DOCX");
            }
            throw e;
        }
    }

    /** Rows of cells as {@link TableRows} writes them: the first row is the header. */
    private static void table(XWPFTable table, DocumentTextBuilder out) {
        java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
        for (XWPFTableRow row : table.getRows()) {
            java.util.List<String> cells = new java.util.ArrayList<>();
            for (XWPFTableCell cell : row.getTableCells()) {
                cells.add(DocumentTextBuilder.collapseWhitespace(cell.getText()));
            }
            rows.add(cells);
        }
        TableRows.write(rows, out);
    }

    /**
     * 1–9 for a heading, 0 for a title ("Title" style), -1 for body text. Style names are what Word writes in
     * styles.xml ("heading 1" even in a Chinese Word); WPS and older tools write localised names or only an outline
     * level.
     */
    static int headingLevel(XWPFParagraph p, XWPFStyles styles) {
        Integer outline = outlineLevel(p.getCTP().getPPr() == null ? null : p.getCTP().getPPr().getOutlineLvl());
        if (outline != null) {
            return outline;
        }
        String styleId = p.getStyleID();
        for (int depth = 0; styleId != null && styles != null && depth < 10; depth++) {
            XWPFStyle style = styles.getStyle(styleId);
            String name = style == null ? styleId : style.getName();
            int byName = levelFromName(name);
            if (byName != Integer.MIN_VALUE) {
                return byName;
            }
            int byId = levelFromName(styleId);
            if (byId != Integer.MIN_VALUE) {
                return byId;
            }
            if (style == null) {
                break;
            }
            CTPPrGeneral ppr = style.getCTStyle().getPPr();
            Integer styleOutline = outlineLevel(ppr == null ? null : ppr.getOutlineLvl());
            if (styleOutline != null) {
                return styleOutline;
            }
            styleId = style.getBasisStyleID();
        }
        return -1;
    }

    private static Integer outlineLevel(CTDecimalNumber level) {
        if (level == null || level.getVal() == null) {
            return null;
        }
        int value = level.getVal().intValue();
        // 0-8 are heading levels 1-9; 9 means "body text".
        return value >= 0 && value <= 8 ? value + 1 : null;
    }

    private static int levelFromName(String name) {
        if (name == null) {
            return Integer.MIN_VALUE;
        }
        String n = name.strip();
        if (n.equalsIgnoreCase("title") || n.equals("标题") || n.equals("標題")) {
            return 0;
        }
        Matcher m = HEADING_NAME.matcher(n.toLowerCase(Locale.ROOT));
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MIN_VALUE;
    }
}
