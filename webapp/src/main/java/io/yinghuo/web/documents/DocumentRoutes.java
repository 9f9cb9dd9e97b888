package io.yinghuo.web.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.yinghuo.ingest.parse.DocumentParseException;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.FileNames;
import io.yinghuo.ingest.parse.TextDecoding;
import io.yinghuo.ingest.pipeline.CollectionException;
import io.yinghuo.ingest.pipeline.CollectionNames;
import io.yinghuo.ingest.pipeline.IngestJob;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.ingest.pipeline.OriginalStore;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.ErrorResponses;
import io.yinghuo.web.Json;
import io.yinghuo.web.Messages;
import io.yinghuo.web.Params;
import io.yinghuo.web.ServerOptions;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import org.eclipse.jetty.server.MultiPartFormInputStream;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /api/documents}: upload, list, show, delete, the original file and the parsed text. Uploads and deletions
 * go to the ingest pipeline; everything shown is read from the index and the stored originals.
 */
public final class DocumentRoutes {

    private static final Map<String, String> INLINE_TYPES = Map.of(
            "pdf", "application/pdf",
            "txt", "text/plain;charset=utf-8",
            "md", "text/plain;charset=utf-8",
            "markdown", "text/plain;charset=utf-8",
            "csv", "text/plain;charset=utf-8",
            "json", "text/plain;charset=utf-8",
            "html", "text/plain;charset=utf-8",
            "htm", "text/plain;charset=utf-8");

    private final ChunkStore index;
    private final OriginalStore originals;
    private final IngestPipeline pipeline;
    private final IngestJobs jobs;
    private final ServerOptions options;
    private final VectorStatus vectors;
    private final DocumentParsers parsers = DocumentParsers.withDefaults();
    private final PageBoxes boxes;
    private final DocumentHeadings headings;

    /**
     * @param index the data folder's index, read for the catalogue and the text
     * @param originals the data folder's originals, read for downloads
     * @param pipeline writes uploads and deletions into {@code index}
     * @param vectors which documents have vectors (each entry's {@code vectors} flag)
     */
    public DocumentRoutes(ChunkStore index, OriginalStore originals, IngestPipeline pipeline, IngestJobs jobs,
                          ServerOptions options, VectorStatus vectors) {
        this(index, originals, pipeline, jobs, options, vectors, PageBoxes.NONE);
    }

    /** As above, with where OCR word boxes are read for {@code /api/documents/{id}/pages/{n}/boxes}. */
    public DocumentRoutes(ChunkStore index, OriginalStore originals, IngestPipeline pipeline, IngestJobs jobs,
                          ServerOptions options, VectorStatus vectors, PageBoxes boxes) {
        this.boxes = boxes;
        this.headings = new DocumentHeadings(index, originals, parsers);
        this.index = index;
        this.originals = originals;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.options = options;
        this.vectors = vectors;
    }

    /**
     * {@code POST /api/documents}: multipart/form-data with one or more file parts (any field name) and an optional
     * {@code collection} field. Answers 202 with one entry per file: accepted with its job id (watch it at
     * {@code /api/ingest/{jobId}} or {@code /api/ingest/events}), or refused with the reason. When no file is
     * accepted the answer is an error with the same entries: 415 when every file has an unsupported type, 413 when
     * every file is too large, 400 otherwise.
     */
    public void upload(Context ctx) throws InterruptedException {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.unsupportedMediaType("upload files as multipart/form-data (got "
                    + (contentType == null ? "no content type" : contentType) + ")")
                    .localized("error.upload_not_multipart");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > options.maxUploadRequestBytes()) {
            throw ApiException.tooLarge("the upload is " + declared + " bytes; at most " + options.maxFilesPerUpload()
                    + " files of " + options.maxFileBytes() + " bytes each are accepted per request")
                    .localized("error.upload_too_large", options.maxFilesPerUpload(), options.maxFileBytes());
        }
        List<UploadedFile> files = new java.util.ArrayList<>();
        String collection = null;
        MultiPartFormInputStream multipart = null;
        try {
            String boundary = HeaderControlFilter.boundary(contentType);
            InputStream body = boundary == null ? ctx.req().getInputStream()
                    : new HeaderControlFilter(ctx.req().getInputStream(), boundary);
            File tmp = new File(System.getProperty("java.io.tmpdir"));
            multipart = new MultiPartFormInputStream(body, contentType, new MultipartConfigElement(
                    tmp.getPath(), options.maxFileBytes(), options.maxUploadRequestBytes(), 1 << 20), tmp, 1000);
            for (Part part : multipart.getParts()) {
                if (part.getSubmittedFileName() != null) {
                    files.add(new UploadedFile(part));
                } else if ("collection".equals(part.getName()) && collection == null) {
                    try (InputStream in = part.getInputStream()) {
                        collection = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                    }
                }
            }
        } catch (Exception e) { // Jetty's multipart parser also throws (undeclared) IOExceptions
            deleteQuietly(multipart);
            throw multipartError(e);
        }
        try {
            upload(ctx, files, collection);
        } finally {
            deleteQuietly(multipart);
        }
    }

    private static void deleteQuietly(MultiPartFormInputStream multipart) {
        if (multipart != null) {
            try {
                multipart.deleteParts();
            } catch (RuntimeException e) {
                // temporary files only; the JVM's temp cleanup gets the rest
            }
        }
    }

    private void upload(Context ctx, List<UploadedFile> files, String collection) throws InterruptedException {
        if (files.isEmpty()) {
            throw ApiException.badRequest("files", "the upload contains no files (send file parts in"
                    + " multipart/form-data)").localized("error.no_files");
        }
        if (files.size() > options.maxFilesPerUpload()) {
            throw ApiException.badRequest("files", "too many files in one upload: " + files.size() + ", at most "
                    + options.maxFilesPerUpload()).localized("error.too_many_files", files.size(),
                    options.maxFilesPerUpload());
        }
        try {
            collection = CollectionNames.normalize(collection);
        } catch (CollectionException e) {
            throw CollectionRoutes.refusal(e, "collection");
        }
        ArrayNode results = Json.MAPPER.createArrayNode();
        List<ApiException> refusals = new java.util.ArrayList<>();
        Messages.Lang lang = Messages.lang(ctx);
        for (UploadedFile file : files) {
            results.add(accept(file, collection, refusals, lang));
        }
        ObjectNode body = Json.object();
        if (refusals.size() == files.size()) {
            ApiException error = allRefused(results, refusals, lang);
            body.set("error", ErrorResponses.body(error, lang).get("error"));
            body.set("files", results);
            ctx.status(error.status()).json(body);
            return;
        }
        body.set("files", results);
        ctx.status(202).json(body);
    }

    /** The error of an upload none of whose files was accepted: the common status if all share one, else 400. */
    private static ApiException allRefused(ArrayNode results, List<ApiException> refusals, Messages.Lang lang) {
        int status = refusals.get(0).status();
        for (ApiException refusal : refusals) {
            if (refusal.status() != status) {
                status = 400;
            }
        }
        StringBuilder reasons = new StringBuilder();
        StringBuilder translated = new StringBuilder();
        for (int i = 0; i < refusals.size(); i++) {
            String name = results.get(i).get("file_name").asText();
            reasons.append(i == 0 ? "" : "; ").append(name).append(": ").append(refusals.get(i).getMessage());
            translated.append(i == 0 ? "" : "；").append(name).append("：")
                    .append(refusals.get(i).message(Messages.Lang.ZH));
        }
        String message = (refusals.size() == 1 ? "the file was not accepted: " : "none of the "
                + refusals.size() + " files was accepted: ") + reasons;
        ApiException error = switch (status) {
            case 415 -> ApiException.unsupportedMediaType(message);
            case 413 -> ApiException.tooLarge(message);
            default -> new ApiException(400, "invalid_request_error", "no_file_accepted", "files", message);
        };
        return error.localized(refusals.size() == 1 ? "error.file_refused" : "error.files_refused", translated,
                refusals.size());
    }

    private ObjectNode accept(UploadedFile file, String collection, List<ApiException> refusals,
                              Messages.Lang lang) throws InterruptedException {
        String name = FileNames.displayName(file.filename());
        ObjectNode entry = Json.object();
        entry.put("file_name", name == null ? String.valueOf(file.filename()) : name);
        try {
            if (name == null) {
                throw ApiException.badRequest("files", "the file has no usable name").localized("error.no_name");
            }
            if (name.lastIndexOf('.') == 0) {
                throw ApiException.badRequest("files", "the file name " + Json.write(name) + " has no name before"
                        + " the extension; rename the file (for example to document" + name + ")")
                        .localized("error.only_extension", name);
            }
            if (!parsers.supports(name)) {
                String extension = FileNames.extension(name);
                String supported = String.join(", ", new TreeSet<>(parsers.supportedExtensions()));
                throw ApiException.unsupportedMediaType("unsupported file type"
                        + (extension.isEmpty() ? "" : " ." + extension) + "; supported: " + supported)
                        .localized("error.unsupported_file_type", extension, supported);
            }
            if (file.size() > options.maxFileBytes()) {
                throw ApiException.tooLarge("the file is " + file.size() + " bytes, larger than the limit of "
                        + options.maxFileBytes()).localized("error.file_too_large", options.maxFileBytes());
            }
            if (file.size() == 0) {
                throw ApiException.badRequest("files", "the file is empty").localized("error.file_empty");
            }
            byte[] bytes;
            try (InputStream in = file.content()) {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, options.maxFileBytes() + 1));
            } catch (IOException e) {
                throw ApiException.badRequest("files", "the file could not be read from the upload: "
                        + e.getMessage()).localized("error.upload_unreadable").retryable(true);
            }
            if (bytes.length > options.maxFileBytes()) {
                throw ApiException.tooLarge("the file is larger than the limit of " + options.maxFileBytes()
                        + " bytes").localized("error.file_too_large", options.maxFileBytes());
            }
            IngestJob job = pipeline.submit(new IngestSource(name, bytes, collection));
            jobs.submitted(job);
            entry.put("accepted", true);
            entry.put("job_id", job.id());
            entry.put("document_id", job.docId());
            entry.set("progress", DocumentJson.progress(job.progress(), lang));
        } catch (ApiException e) {
            refusals.add(e);
            entry.put("accepted", false);
            entry.set("error", ErrorResponses.body(e, lang).get("error"));
            entry.put("retryable", e.retryable());
        }
        return entry;
    }

    private ApiException multipartError(Exception e) {
        String message = String.valueOf(e.getMessage());
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
            message = message + " " + cause.getMessage();
        }
        if (message.contains("exceeds max") || message.contains("maxRequestSize") || message.contains("max filesize")
                || message.contains("too large")) {
            return ApiException.tooLarge("the upload exceeds the limits: at most " + options.maxFilesPerUpload()
                    + " files of " + options.maxFileBytes() + " bytes each")
                    .localized("error.upload_too_large", options.maxFilesPerUpload(), options.maxFileBytes());
        }
        return ApiException.badRequest("files", "the multipart body could not be read (is it complete and"
                + " well-formed?)").localized("error.multipart_unreadable");
    }

    /** {@code GET /api/documents}: the catalogue, ordered by file name. */
    public void list(Context ctx) {
        ArrayNode documents = Json.MAPPER.createArrayNode();
        for (DocumentRecord record : index.documents()) {
            documents.add(DocumentJson.document(record, vectors.hasVectors(record.docId())));
        }
        ObjectNode body = Json.object();
        body.set("documents", documents);
        body.put("count", documents.size());
        ctx.json(body);
    }

    /** {@code GET /api/documents/{id}}. */
    public void get(Context ctx) {
        DocumentRecord record = find(ctx.pathParam("id"));
        ctx.json(DocumentJson.document(record, vectors.hasVectors(record.docId())));
    }

    /** {@code DELETE /api/documents/{id}}: removes the chunks, the catalogue entry and the original; 204. */
    public void delete(Context ctx) throws IOException, InterruptedException {
        String id = ctx.pathParam("id");
        if (!validId(id) || !pipeline.delete(id)) {
            throw ApiException.notFound("no document with id " + quoted(id))
                    .localized("error.document_not_found", quoted(id));
        }
        ctx.status(204);
    }

    /**
     * {@code GET /api/documents/{id}/original[?download=1]}: the uploaded bytes. PDFs and text formats are shown
     * inline (text formats always as text/plain, so an uploaded HTML page cannot run script here); everything else,
     * and any file with {@code download=1}, is sent as an attachment.
     */
    public void original(Context ctx) throws IOException {
        DocumentRecord record = find(ctx.pathParam("id"));
        if (record.originalPath().isEmpty()) {
            throw ApiException.notFound("the original of document " + record.docId() + " was not kept")
                    .localized("error.original_not_kept", record.docId());
        }
        Path file = originals.resolve(record.originalPath());
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("the original of document " + record.docId() + " is missing from the data"
                    + " folder").localized("error.original_missing", record.docId());
        }
        String extension = FileNames.extension(record.fileName());
        String inlineType = INLINE_TYPES.get(extension);
        boolean download = ctx.queryParam("download") != null || inlineType == null;
        ctx.header("Content-Type", inlineType != null ? inlineType : "application/octet-stream");
        ctx.header("Content-Disposition", (download ? "attachment" : "inline") + "; " + dispositionName(
                record.fileName()));
        if (!"pdf".equals(extension)) {
            ctx.header("Content-Security-Policy", "sandbox; default-src 'none'");
        }
        if (!download && inlineType.startsWith("text/")) {
            byte[] utf8 = asUtf8(record.fileName(), Files.readAllBytes(file));
            ctx.header("Content-Length", String.valueOf(utf8.length));
            ctx.result(utf8);
            return;
        }
        ctx.header("Content-Length", String.valueOf(Files.size(file)));
        ctx.result(Files.newInputStream(file));
    }

    /**
     * A text file's bytes as UTF-8, decoded as ingestion decoded them (GBK, Big5, UTF-16… detected by
     * {@link TextDecoding}), so that the browser's preview is not mojibake; bytes that are not text are sent as
     * they are.
     */
    private static byte[] asUtf8(String fileName, byte[] bytes) {
        if (bytes.length == 0) {
            return bytes;
        }
        try {
            return TextDecoding.decode(fileName, bytes).text().getBytes(StandardCharsets.UTF_8);
        } catch (DocumentParseException notText) {
            return bytes;
        }
    }

    /**
     * {@code GET /api/documents/{id}/text?start=S&end=E}: the parsed text of [S, E) (at most
     * {@value DocumentText#MAX_CHARS} characters), for showing a cited passage in context, with the headings in it
     * and {@code ocr_pages}, the pages whose word boxes {@link #boxes} has (so that the viewer asks only for those).
     */
    public void text(Context ctx) throws IOException {
        DocumentRecord record = find(ctx.pathParam("id"));
        int start = Params.intParam(ctx, "start", 0);
        int end = Params.intParam(ctx, "end", start + DocumentText.MAX_CHARS);
        if (start < 0 || end < start) {
            throw ApiException.badRequest("start", "need 0 <= start <= end, got start=" + start + ", end=" + end)
                    .localized("error.text_range", start, end);
        }
        DocumentText.Range range = DocumentText.read(index, record, start, end);
        ObjectNode body = Json.MAPPER.valueToTree(range);
        body.put("file_name", record.fileName());
        body.put("format", record.format());
        body.put("page_count", record.pageCount());
        ArrayNode lines = body.putArray("headings");
        for (DocumentHeadings.Heading heading : headings.within(record, range.start(), range.end())) {
            lines.addObject().put("start", heading.start()).put("end", heading.end()).put("level", heading.level());
        }
        ArrayNode ocrPages = body.putArray("ocr_pages");
        boxes.pages(record).forEach(ocrPages::add);
        ctx.json(body);
    }

    /**
     * {@code GET /api/documents/{id}/pages/{page}/boxes}: where the words recognised by OCR lie on a page, for
     * highlighting a citation on a scan: {@code {page, width, height, unit, words: [{start, end, x, y, w, h}]}}
     * (see {@link PageBoxes} for the units and offsets); 404 when the page has none (not a scan, or not kept).
     */
    public void boxes(Context ctx) throws IOException {
        DocumentRecord record = find(ctx.pathParam("id"));
        int page = pageNumber(ctx.pathParam("page"));
        PageBoxes.Page found = page < 1 || page > Math.max(1, record.pageCount()) ? null
                : boxes.page(record, page).orElse(null);
        if (found == null) {
            throw ApiException.notFound("page " + ctx.pathParam("page") + " of document " + record.docId()
                    + " has no recognised word boxes").localized("error.no_word_boxes", ctx.pathParam("page"),
                    record.docId());
        }
        ObjectNode body = Json.object();
        body.put("page", found.page());
        body.put("width", found.width());
        body.put("height", found.height());
        body.put("unit", found.unit());
        ArrayNode words = body.putArray("words");
        for (PageBoxes.Word word : found.words()) {
            words.addObject().put("start", word.start()).put("end", word.end()).put("x", word.x())
                    .put("y", word.y()).put("w", word.w()).put("h", word.h());
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.json(body);
    }

    private static int pageNumber(String value) {
        return value != null && value.matches("[0-9]{1,6}") ? Integer.parseInt(value) : -1;
    }

    private DocumentRecord find(String id) {
        if (!validId(id)) {
            throw ApiException.notFound("no document with id " + quoted(id))
                    .localized("error.document_not_found", quoted(id));
        }
        return index.document(id)
                .orElseThrow(() -> ApiException.notFound("no document with id " + quoted(id))
                    .localized("error.document_not_found", quoted(id)));
    }

    private static boolean validId(String id) {
        return id != null && id.matches("[0-9A-Za-z_-]{1,64}");
    }

    private static String quoted(String id) {
        String shown = id == null ? "" : id.length() > 80 ? id.substring(0, 80) + "…" : id;
        return Json.write(shown);
    }

    /** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
    private static String dispositionName(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7E]", "_").replace("\"", "_").replace("\\", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
