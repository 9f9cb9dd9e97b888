package io.yinghuo.ingest.parse;

import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/** What DOCX, XLSX and PPTX parsing share: the zip-bomb check, opening the package, and the errors for old formats. */
final class OfficeFiles {

    private OfficeFiles() {
    }

    /** Opens an OOXML package after {@link ZipGuard} has accepted it. */
    static OPCPackage open(String fileName, byte[] bytes, ParseLimits limits, String formatName)
            throws DocumentParseException {
        if (ContentSniffer.isOle2(bytes)) {
            throw ole2(fileName, bytes, formatName);
        }
        ZipGuard.check(fileName, bytes, limits.maxExpandedBytes(), formatName);
        try {
            return OPCPackage.open(new ByteArrayInputStream(bytes));
        } catch (InvalidFormatException | NotOfficeXmlFileException | IOException e) {
            throw failure(fileName, e, formatName);
        }
    }

    /** Maps POI's failures (incl. its own zip-bomb detection) to a message for the user. */
    static DocumentParseException failure(String fileName, Exception e, String formatName) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Zip bomb") || message.contains("zip bomb")) {
            return new DocumentParseException(fileName, DocumentParseException.Reason.ZIP_BOMB,
                    "expands far beyond its compressed size, refusing (zip bomb?)", e);
        }
        // POI's message names its classes (org.apache.xmlbeans.XmlException: ...): the log keeps it, not the user.
        return new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                "is damaged or not a valid " + formatName + " file, it cannot be read", e);
    }

    /**
     * An OLE2 container named like an OOXML file is either an encrypted OOXML document (Office stores those inside
     * OLE2 with an "EncryptionInfo" stream) or a legacy .doc/.xls/.ppt file.
     */
    static DocumentParseException ole2(String fileName, byte[] bytes, String formatName) {
        try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(bytes))) {
            if (fs.getRoot().hasEntry("EncryptionInfo")) {
                return new DocumentParseException(fileName, DocumentParseException.Reason.ENCRYPTED,
                        "the document is encrypted (password protected)");
            }
        } catch (IOException | RuntimeException e) {
            return new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                    "is damaged and cannot be read", e);
        }
        return new UnsupportedDocumentException(fileName, "is a legacy binary Office file (.doc/.xls/.ppt), which is "
                + "not supported; save it as " + formatName + " (.docx/.xlsx/.pptx) and upload again");
    }

    static boolean isPoiFailure(RuntimeException e) {
        return e instanceof POIXMLException || e instanceof org.apache.poi.openxml4j.exceptions.OpenXML4JRuntimeException
                || e instanceof org.apache.poi.util.RecordFormatException;
    }
}
