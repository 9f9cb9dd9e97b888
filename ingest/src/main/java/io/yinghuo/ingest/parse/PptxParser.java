package io.yinghuo.ingest.parse;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFGroupShape;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableCell;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextShape;

import java.io.IOException;

/**
 * PPTX via POI XSLF: each slide is a page (numbered from 1) and its title a level-1 heading; text boxes, grouped
 * shapes and tables (tab-separated rows) in shape order, then the speaker notes. The zip is checked by
 * {@link ZipGuard} first.
 */
public final class PptxParser implements DocumentParser {

    private final ParseLimits limits;

    public PptxParser(ParseLimits limits) {
        this.limits = limits;
    }

    @Override
    public String format() {
        return "pptx";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        OPCPackage pkg = OfficeFiles.open(fileName, bytes, limits, "PPTX");
        try (XMLSlideShow show = new XMLSlideShow(pkg)) {
            DocumentTextBuilder out = new DocumentTextBuilder(fileName, limits.maxCharacters());
            int number = 0;
            for (XSLFSlide slide : show.getSlides()) {
                out.startPage(++number);
                String title = slide.getTitle();
                if (title != null && !title.isBlank()) {
                    out.heading(1, title);
                }
                for (XSLFShape shape : slide.getShapes()) {
                    shape(shape, out, title);
                }
                if (slide.getNotes() != null) {
                    for (XSLFShape shape : slide.getNotes().getShapes()) {
                        if (shape instanceof XSLFTextShape text && text.getTextType() != null
                                && text.getTextType().name().equals("BODY")) {
                            out.paragraph(text.getText());
                        }
                    }
                }
                out.endPage();
            }
            String title = show.getProperties().getCoreProperties().getTitle();
            return out.build(title != null ? title : out.firstHeading(), format());
        } catch (IOException e) {
            throw OfficeFiles.failure(fileName, e, "PPTX");
        } catch (RuntimeException e) {
            if (OfficeFiles.isPoiFailure(e)) {
                throw OfficeFiles.failure(fileName, e, "PPTX");
            }
            throw e;
        }
    }

    private static void shape(XSLFShape shape, DocumentTextBuilder out, String slideTitle) {
        if (shape instanceof XSLFTextShape text) {
            String content = text.getText();
            if (slideTitle == null || !content.strip().equals(slideTitle.strip())) {
                out.paragraph(content);
            }
        } else if (shape instanceof XSLFGroupShape group) {
            for (XSLFShape child : group.getShapes()) {
                shape(child, out, slideTitle);
            }
        } else if (shape instanceof XSLFTable table) {
            for (XSLFTableRow row : table.getRows()) {
                StringBuilder line = new StringBuilder();
                for (XSLFTableCell cell : row.getCells()) {
                    if (line.length() > 0) {
                        line.append('\t');
                    }
                    line.append(DocumentTextBuilder.collapseWhitespace(cell.getText()));
                }
                out.paragraph(line);
            }
        }
    }
}
