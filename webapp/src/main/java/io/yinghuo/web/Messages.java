package io.yinghuo.web;

import io.javalin.http.Context;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's texts for people, in Chinese and English, keyed by a stable code. The language of one request is
 * chosen by {@link #lang(Context)}: an explicit {@code lang} query parameter, else the {@code yinghuo.lang} cookie
 * the UI sets, else {@code Accept-Language} ({@code zh*} first: Chinese; anything else: English). The
 * OpenAI-compatible {@code /v1} API always answers in English, as OpenAI clients expect.
 */
public final class Messages {

    /** The languages the server speaks. */
    public enum Lang { ZH, EN }

    public static final String COOKIE = "yinghuo.lang";

    /** code → {Chinese, English}; {@code {0}}, {@code {1}}… are the arguments. */
    private static final Map<String, String[]> TEXTS = Map.ofEntries(
            // ingestion
            entry("ingest.unchanged", "内容未变，已导入过相同的内容", "already ingested with the same content"),
            entry("ingest.duplicate", "与 {0}（文档 {1}）内容相同", "same content as {0} (document {1})"),
            entry("ingest.duplicate_in_flight", "与正在导入的文件（文档 {0}）内容相同",
                    "same content as a file being ingested (document {0})"),
            entry("ingest.parse_empty", "文件是空的", "the file is empty"),
            entry("ingest.parse_too_large", "文件太大", "the file is too large"),
            entry("ingest.parse_unsupported_type", "不支持这种文件类型", "this file type is not supported"),
            entry("ingest.parse_binary", "文件名像文本文件，内容却不是文本", "the file is named as text but is not text"),
            entry("ingest.parse_encrypted", "文件有密码保护，无法读取", "the file is password protected"),
            entry("ingest.parse_corrupt", "文件已损坏，或与扩展名不符", "the file is damaged or not what its name says"),
            entry("ingest.parse_zip_bomb", "文件解压后太大", "the file expands to too much data"),
            entry("ingest.parse_too_much_text", "文件的文字太多", "the file holds too much text"),
            entry("ingest.parse_no_text", "没有从文件中读出文字（例如未经文字识别的扫描件）",
                    "no text could be read from the file (a scan without OCR?)"),
            entry("ingest.parse_unreadable", "无法读取文件，请重试", "the file could not be read; try again"),
            entry("ingest.parse_ocr_unavailable", "这是扫描件或图片，需要文字识别（OCR），但服务器上没有安装："
                    + "请安装 tesseract-ocr、tesseract-ocr-chi-sim 和 tesseract-ocr-chi-tra 软件包",
                    "the scan or image needs text recognition (OCR), which is not installed on the server: install"
                            + " the packages tesseract-ocr, tesseract-ocr-chi-sim and tesseract-ocr-chi-tra"),
            entry("ingest.parse_too_complex", "文件的结构过于复杂（嵌套太深或页数太多），拒绝读取",
                    "the file is built beyond what a document needs (nested too deeply or too many pages)"),
            entry("ingest.parse_over_budget", "读取这个文件用时或内存超出了同样大小文件的上限，拒绝读取",
                    "reading the file took more time or memory than a file of its size may"),
            entry("ingest.ocr_page", "正在识别文字（OCR）：第 {0} 页，共 {1} 页",
                    "recognising text (OCR): page {0} of {1}"),
            entry("ingest.out_of_memory", "处理文件时内存不足", "out of memory while processing the file"),
            entry("ingest.io_error", "读写文件时出错，请重试", "the file could not be read or written; try again"),
            entry("ingest.interrupted", "导入被中断，请重试", "ingestion was interrupted; try again"),
            entry("ingest.commit_failed", "保存到索引时出错，请重试", "the index could not be saved; try again"),
            entry("ingest.failed", "无法导入这个文件", "the file could not be ingested"),
            // what a parser reports about a file it read (io.yinghuo.ingest.parse.ParseWarning)
            entry("warning.pdf_pages_missing", "PDF 声明有 {0} 页，实际只有 {1} 页；已读取这些页",
                    "the PDF declares {0} pages but holds {1}; those were read"),
            entry("warning.scanned_pages_not_read", "第 {0} 页是扫描页，服务器没有文字识别（OCR），未读取：请安装"
                    + " tesseract-ocr、tesseract-ocr-chi-sim 和 tesseract-ocr-chi-tra 软件包",
                    "pages {0} look scanned and were not read: text recognition (OCR) is not installed"),
            entry("warning.ocr_page_limit", "扫描页共 {1} 页，只识别了前 {0} 页（文字识别页数上限）；第 {2} 页未读取",
                    "only the first {0} of {1} scanned pages were recognised (OCR page limit); pages {2} were not"
                            + " read"),
            entry("warning.pages_not_recognised", "第 {0} 页无法识别", "pages {0} could not be recognised"),
            entry("warning.pages_without_text", "第 {0} 页没有文字", "pages {0} have no text"),
            entry("warning.image_animated", "这是动图：只读取了第一帧", "the image is animated: only its first frame"
                    + " was read"),
            entry("warning.image_page_limit", "图片共 {1} 页，只识别了前 {0} 页（文字识别页数上限）",
                    "only the first {0} of {1} pages were recognised (OCR page limit)"),
            entry("warning.image_reduced", "图片（{0} × {1} 像素）太大，缩小到 1/{2} 后识别",
                    "the image ({0} × {1} pixels) was reduced to 1/{2} of its size for recognition"),
            entry("warning.image_pages_unreadable", "第 {0} 页无法读取", "pages {0} could not be read"),
            entry("warning.invalid_bytes", "有 {0} 处字节不是有效的 {1} 编码，已替换为 \uFFFD",
                    "{0} byte sequence(s) were not valid {1} and were replaced by \uFFFD"),
            entry("warning.format_by_content", "文件扩展名是 .{0}，内容却是 {1}，已按 {1} 读取",
                    "the file is named .{0} but its content is {1}; read as {1}"),
            // errors
            entry("error.bad_request", "无法理解这个请求", "the request could not be understood: bad request line,"
                    + " URI or headers"),
            entry("error.not_found", "找不到这个地址", "no such endpoint"),
            entry("error.method_not_allowed", "这个地址不支持这种请求方法", "this HTTP method is not allowed on this path"),
            entry("error.too_large", "请求太大", "the request is too large"),
            entry("error.uri_too_long", "请求地址太长", "the request URI is too long; send long values in a POST body"),
            entry("error.unsupported_media_type", "不支持的内容类型", "unsupported content type"),
            entry("error.headers_too_large", "请求头太大", "the request headers are too large"),
            entry("error.internal", "服务器内部出错", "the server failed"),
            entry("error.index_unavailable", "暂时无法访问索引，没有写入任何内容，请稍后重试（{0}）",
                    "the index cannot be reached; nothing was written, try again later ({0})"),
            entry("error.model_not_loaded", "没有加载模型：请用 --model 目录 启动服务器（没有模型也能搜索，并列出依据）",
                    "no model is loaded: start the server with --model DIR"),
            entry("error.queue_full", "模型正忙（{0} 个问题在排队），请稍后重试",
                    "the model is busy: {0} requests are already waiting; try again later"),
            entry("error.max_tokens_exceed_context", "设置的最大生成长度（{0}）超出上下文，请减小到 {1} 以下",
                    "The maximum answer length ({0}) does not fit in the context; use at most {2}"),
            entry("error.question_too_long", "问题太长，放不进上下文：请缩短问题、减少对话历史或减小最大生成长度",
                    "the question does not fit in the context: shorten it, keep less history or lower the maximum"
                            + " answer length"),
            entry("error.no_passage_fits", "找到了相关段落，但放不进上下文：请加长上下文或减小最大生成长度",
                    "relevant passages were found, but none fits the context: use a longer context or a lower"
                            + " maximum answer length"),
            entry("error.generation_failed", "模型出错，请重试", "the model failed; try again"),
            entry("error.document_not_found", "没有 ID 为 {0} 的文档", "no document with id {0}"),
            entry("error.job_not_found", "没有导入任务 {0}（不存在或已过期）", "no ingestion job {0} (unknown or forgotten)"),
            entry("error.original_not_kept", "没有保存文档 {0} 的原文件", "the original of document {0} was not kept"),
            entry("error.no_files", "上传中没有文件", "the upload contains no files"),
            entry("error.file_empty", "文件是空的", "the file is empty"),
            entry("error.body_empty", "请求体是空的，请发送 JSON 对象", "the request body is empty; send a JSON object"),
            entry("error.body_not_object", "请求体必须是 JSON 对象", "the request body must be a JSON object"),
            entry("error.file_refused", "文件未被接受：{0}", "the file was not accepted: {0}"),
            entry("error.files_refused", "{1} 个文件都未被接受：{0}", "none of the {1} files was accepted: {0}"),
            entry("error.no_name", "文件没有可用的名字", "the file has no usable name"),
            entry("error.only_extension", "文件名 {0} 只有扩展名，请先给文件改名", "the file name {0} has only an"
                    + " extension; rename the file"),
            entry("error.unsupported_file_type", "不支持 .{0} 类型的文件；支持：{1}",
                    "unsupported file type .{0}; supported: {1}"),
            entry("error.file_too_large", "文件超过了 {0} 字节的上限", "the file is larger than the limit of {0} bytes"),
            entry("error.upload_unreadable", "无法读取上传的文件，请重试", "the file could not be read from the upload;"
                    + " try again"),
            entry("error.q_required", "请输入要搜索的内容（参数 q）", "the query parameter q is required"),
            entry("error.field_required", "缺少 {0}", "{0} is required"),
            entry("error.body_too_large", "请求体有 {0} 字节，超过了 {1} 字节的上限",
                    "the request body is {0} bytes; the limit is {1}"),
            entry("error.body_not_json", "请求体不是有效的 JSON {0}", "the request body is not valid JSON {0}"),
            entry("error.not_integer", "{0} 必须是整数，收到的是 {1}", "{0} must be an integer, got {1}"),
            entry("error.integer_range", "{0} 必须是 {1} 到 {2} 之间的整数，收到的是 {3}",
                    "{0} must be an integer from {1} to {2}, got {3}"),
            entry("error.number_range", "{0} 必须是 {1} 到 {2} 之间的数，收到的是 {3}",
                    "{0} must be a number from {1} to {2}, got {3}"),
            entry("error.http_status", "请求失败（HTTP {0}）", "the request failed (HTTP {0})"),
            entry("error.forbidden_host", "这个服务器只接受发往 127.0.0.1 或 localhost 的请求",
                    "this server only answers requests addressed to 127.0.0.1 or localhost"),
            entry("error.forbidden_origin", "拒绝了来自其他网站的修改请求", "cross-origin requests that change data are"
                    + " refused"),
            entry("error.api_key_required", "需要 API 密钥：请在浏览器中登录，或发送 Authorization: Bearer 密钥",
                    "an API key is required: log in in a browser, or send Authorization: Bearer KEY"),
            entry("error.invalid_api_key", "API 密钥不正确", "invalid API key"),
            entry("error.too_many_failed_logins", "密钥错误次数过多，请 {0} 秒后再试",
                    "too many wrong API keys from this address; try again in {0} s"),
            entry("error.unsupported_feature", "不支持这个功能：{0}", "not supported: {0}"),
            entry("error.q_too_long", "搜索内容太长，最多 {0} 个字", "q is longer than {0} characters"),
            entry("error.upload_not_multipart", "请用 multipart/form-data 上传文件",
                    "upload files as multipart/form-data"),
            entry("error.upload_too_large", "上传太大：每次最多 {0} 个文件，每个不超过 {1} 字节",
                    "the upload is too large: at most {0} files of {1} bytes each per request"),
            entry("error.too_many_files", "一次上传了 {0} 个文件，最多 {1} 个", "{0} files in one upload; at most {1}"),
            entry("error.multipart_unreadable", "无法读取上传的内容（是否完整？），请重试",
                    "the multipart body could not be read (is it complete and well-formed?)"),
            entry("error.original_missing", "数据文件夹里找不到文档 {0} 的原文件",
                    "the original of document {0} is missing from the data folder"),
            entry("error.no_word_boxes", "文档 {1} 的第 {0} 页没有文字识别的字词位置",
                    "page {0} of document {1} has no recognised word boxes"),
            entry("error.text_range", "位置不对：需要 0 ≤ start ≤ end，收到 start={0}、end={1}",
                    "need 0 <= start <= end, got start={0}, end={1}"),
            // the body of POST /api/ask
            entry("ask.question_empty", "问题不能为空", "the question must not be empty"),
            entry("ask.question_too_long", "问题太长，最多 {0} 个字", "the question is longer than {0} characters"),
            entry("ask.not_boolean", "{0} 必须是 true 或 false", "{0} must be true or false"),
            entry("ask.mode", "模式必须是 ask、search 或 chat，收到的是“{0}”",
                    "mode must be ask, search or chat, got \"{0}\""),
            entry("ask.history_entry", "对话历史必须是 {role, content} 的数组，role 为 user 或 assistant",
                    "history must be an array of {role, content} with role user or assistant"),
            entry("ask.history_too_long", "对话历史超过了 {0} 条", "history has more than {0} messages"),
            entry("ask.not_an_array", "{0} 必须是数组", "{0} must be an array"),
            entry("ask.not_a_document_id", "不是文档 ID：{0}", "not a document id: {0}"),
            entry("ask.not_a_collection_name", "不是知识库名称：{0}", "not a collection name: {0}"),
            entry("error.field_not_string", "{0} 必须是文字", "{0} must be a string"),
            // collections (knowledge bases); {0} is the name
            entry("collection.name_empty", "知识库名称不能为空", "the knowledge base name must not be empty"),
            entry("collection.name_too_long", "知识库名称不能超过 100 个字", "the knowledge base name is longer than"
                    + " 100 characters"),
            entry("collection.name_has_control_characters", "知识库名称不能包含控制字符",
                    "the knowledge base name contains control characters"),
            entry("collection.exists", "已经有名为“{0}”的知识库了", "a knowledge base named \"{0}\" already exists"),
            entry("collection.not_found", "没有名为“{0}”的知识库", "there is no knowledge base named \"{0}\""),
            entry("collection.default_collection", "默认知识库不能改名或删除",
                    "the default knowledge base cannot be renamed or deleted"),
            // remote model servers (serve --model-url); {0} names the servers and what went wrong with each
            entry("error.remote_model_unavailable", "无法连接远程模型服务器（{0}），请稍后重试",
                    "no remote model server could answer ({0}); try again later"),
            entry("error.remote_model_failed", "远程模型服务器在回答过程中出错（{0}），回答不完整",
                    "the remote model server failed during the answer ({0}); the answer is incomplete"),
            entry("error.remote_completions_unsupported", "使用远程模型时不支持 /v1/completions，请改用"
                    + " /v1/chat/completions", "/v1/completions is not available with a remote model; use"
                    + " /v1/chat/completions"));

    private Messages() {
    }

    private static Map.Entry<String, String[]> entry(String key, String zh, String en) {
        return Map.entry(key, new String[] {zh, en});
    }

    /** Whether the catalogue has {@code key}. */
    public static boolean has(String key) {
        return TEXTS.containsKey(key);
    }

    /** The text of {@code key} in {@code lang} with {@code args} in place; the key itself when unknown. */
    public static String text(Lang lang, String key, Object... args) {
        String[] texts = TEXTS.get(key);
        String text = texts == null ? key : texts[lang == Lang.ZH ? 0 : 1];
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    public static String text(Lang lang, String key, List<?> args) {
        return text(lang, key, args.toArray());
    }

    /** The language of this request (English on {@code /v1}). */
    public static Lang lang(Context ctx) {
        if (ctx.path().startsWith("/v1/") || ctx.path().equals("/v1")) {
            return Lang.EN;
        }
        Lang chosen = parse(ctx.queryParam("lang"));
        if (chosen == null) {
            chosen = parse(ctx.cookie(COOKIE));
        }
        return chosen != null ? chosen : fromAcceptLanguage(ctx.header("Accept-Language"));
    }

    /** "zh…" → Chinese, "en…" → English, anything else → null. */
    static Lang parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.startsWith("zh") ? Lang.ZH : v.startsWith("en") ? Lang.EN : null;
    }

    /** The most preferred language of an {@code Accept-Language} header: Chinese for {@code zh*}, else English. */
    public static Lang fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return Lang.EN;
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(header);
            for (Locale.LanguageRange r : ranges) {
                if (r.getWeight() > 0 && !r.getRange().equals("*")) {
                    return r.getRange().startsWith("zh") ? Lang.ZH : Lang.EN;
                }
            }
        } catch (IllegalArgumentException e) {
            return parse(header) == Lang.ZH ? Lang.ZH : Lang.EN;
        }
        return Lang.EN;
    }
}
