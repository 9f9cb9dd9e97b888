package io.yinghuo.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The one JSON configuration of the server: snake_case names (as the OpenAI API and the CLI's --json use). */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a request body that must be a JSON object.
     *
     * @throws ApiException 400 with the parser's position when it is not
     */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest(null, "the request body is empty; send a JSON object")
                    .localized("error.body_empty");
        }
        int malformed = firstMalformedUtf8(body);
        if (malformed >= 0) {
            String where = "at byte " + malformed;
            throw ApiException.badRequest(null, "the request body is not valid JSON " + where
                    + ": malformed UTF-8 (RFC 3629)").localized("error.body_not_json", where);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            String where = e instanceof JsonProcessingException p && p.getLocation() != null
                    ? " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() : "";
            throw ApiException.badRequest(null, "the request body is not valid JSON" + where + ": " + detail)
                    .localized("error.body_not_json", where.isEmpty() ? "" : where.strip());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest(null, "the request body must be a JSON object")
                    .localized("error.body_not_object");
        }
        return object;
    }

    /**
     * The offset of the first byte that is not well-formed UTF-8, or -1. JSON is exchanged as UTF-8 (RFC 8259,
     * section 8.1), and RFC 3629 (section 3) forbids overlong forms such as {@code C0 AF} for '/' and the encoded
     * surrogates {@code ED A0 80}..{@code ED BF BF}. Jackson's byte parser lets both through, so a body is checked
     * with the JDK's decoder, which reports every ill-formed sequence, before Jackson reads it.
     */
    static int firstMalformedUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.min(body.length, 8192) + 2);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1; // all input read with endOfInput: a truncated sequence at the end was an error above
            }
            out.clear(); // overflow: the decoded text is not needed, only whether decoding succeeds
        }
    }
}
