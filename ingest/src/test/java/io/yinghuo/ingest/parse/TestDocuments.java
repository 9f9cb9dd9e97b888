package io.yinghuo.ingest.parse;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** Builds test PDFs with PDFBox. Pages are lists of lines; an empty list is a page without text (like a scan). */
final class TestDocuments {

    private TestDocuments() {
    }

    static byte[] pdf(List<List<String>> pages, String title, String ownerPassword, String userPassword)
            throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> lines : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                if (lines.isEmpty()) {
                    continue;
                }
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.setLeading(14.5f);
                    content.newLineAtOffset(72, 720);
                    for (String line : lines) {
                        if (line.isEmpty()) {
                            content.newLine(); // a blank line: paragraph gap
                        } else {
                            content.showText(line);
                        }
                        content.newLine();
                    }
                    content.endText();
                }
            }
            if (title != null) {
                doc.getDocumentInformation().setTitle(title);
            }
            if (ownerPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy(ownerPassword, userPassword,
                        new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            doc.save(out);
            return out.toByteArray();
        }
    }
}
