package io.yinghuo.model.langchain4j;

/**
 * What the provider supports today, as LangChain4j's contract suites ask it ({@code supportsTools()} and friends).
 * The four {@code *ContractTest} classes read their hooks from here only: a constant here moves every suite between
 * "must refuse" and "must work" tests.
 */
final class ProviderCapabilities {

    /** Tool specifications in a request: the call is generated under a grammar (ToolCallFormat). */
    static final boolean TOOLS = true;
    /** {@code ToolChoice.REQUIRED}: the grammar then admits only tool calls. */
    static final boolean TOOL_CHOICE_REQUIRED = true;
    /** {@code ResponseFormat.JSON} without a schema (JSON mode): any JSON object, by constrained decoding. */
    static final boolean JSON_RESPONSE_FORMAT = true;
    /** A JSON response format with a schema (or a raw schema): valid against it, by constrained decoding. */
    static final boolean JSON_RESPONSE_FORMAT_WITH_SCHEMA = true;
    /** Image content, base64 or URL; the models read text only. */
    static final boolean IMAGE_INPUTS = false;
    /** Another {@code modelName} per request: a chat model serves the one folder it was built on. */
    static final boolean MODEL_NAME_PARAMETER = false;
    static final boolean MAX_OUTPUT_TOKENS_PARAMETER = true;
    static final boolean STOP_SEQUENCES_PARAMETER = true;
    static final boolean DEFAULT_REQUEST_PARAMETERS = true;
    static final boolean STREAMING_CANCELLATION = true;

    private ProviderCapabilities() {
    }
}
