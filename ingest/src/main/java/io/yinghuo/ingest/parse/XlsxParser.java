package io.yinghuo.ingest.parse;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * XLSX via POI XSSF: each sheet is a section named after the sheet; its first non-empty row is the header and every
 * further row becomes a "header: value; ..." line as for CSV. Cells show their displayed value (formulas their
 * cached result). The zip is checked by {@link ZipGuard} first.
 */
public final class XlsxParser implements DocumentParser {

    private final ParseLimits limits;

    public XlsxParser(ParseLimits limits) {
        this.limits = limits;
    }

    @Override
    public String format() {
        return "xlsx";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        OPCPackage pkg = OfficeFiles.open(fileName, bytes, limits, "XLSX");
        try (XSSFWorkbook workbook = new XSSFWorkbook(pkg)) {
            DataFormatter formatter = new DataFormatter();
            formatter.setUseCachedValuesForFormulaCells(true);
            DocumentTextBuilder out = new DocumentTextBuilder(fileName, limits.maxCharacters());
            for (Sheet sheet : workbook) {
                if (workbook.isSheetHidden(workbook.getSheetIndex(sheet))) {
                    continue;
                }
                out.heading(1, sheet.getSheetName());
                List<String> header = null;
                StringBuilder line = new StringBuilder();
                for (Row row : sheet) {
                    List<String> cells = new ArrayList<>();
                    for (int c = 0; c < row.getLastCellNum(); c++) {
                        Cell cell = row.getCell(c);
                        cells.add(cell == null ? "" : DocumentTextBuilder.collapseWhitespace(
                                formatter.formatCellValue(cell)));
                    }
                    if (cells.stream().allMatch(String::isEmpty)) {
                        continue;
                    }
                    if (header == null) {
                        header = cells;
                        out.paragraph(String.join("\t", cells));
                        continue;
                    }
                    line.setLength(0);
                    for (int c = 0; c < cells.size(); c++) {
                        if (cells.get(c).isEmpty()) {
                            continue;
                        }
                        if (line.length() > 0) {
                            line.append(CsvParser.PAIR_SEPARATOR);
                        }
                        String name = c < header.size() ? header.get(c) : "";
                        line.append(name.isEmpty() ? "" : name + ": ").append(cells.get(c));
                    }
                    out.paragraph(line);
                }
            }
            String title = workbook.getProperties().getCoreProperties().getTitle();
            return out.build(title, format());
        } catch (IOException e) {
            throw OfficeFiles.failure(fileName, e, "XLSX");
        } catch (RuntimeException e) {
            if (OfficeFiles.isPoiFailure(e)) {
                throw OfficeFiles.failure(fileName, e, "XLSX");
            }
            throw e;
        }
    }
}
