package io.yinghuo.model.langchain4j;

/**
 * What the provider supports today, as LangChain4j's contract suites ask it ({@code supportsTools()} and friends).
 * The four {@code *ContractTest} classes read their hooks from here only, so when tools or JSON response formats
 * arrive, flipping a constant here moves every suite from "must refuse" tests to "must work" tests.
 */
final class ProviderCapabilities {

    /** Tool specifications in a request; the models were not trained for tool calling. */
    static final boolean TOOLS = false;
    /** {@code ToolChoice.REQUIRED}; meaningless without tools. */
    static final boolean TOOL_CHOICE_REQUIRED = false;
    /** {@code ResponseFormat.JSON} without a schema (JSON mode); no constrained decoding. */
    static final boolean JSON_RESPONSE_FORMAT = false;
    /** A JSON response format with a schema (or a raw schema). */
    static final boolean JSON_RESPONSE_FORMAT_WITH_SCHEMA = false;
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
