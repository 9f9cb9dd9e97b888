package io.yinghuo.model.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * JSON as model files need it: duplicate keys are an error (the safetensors spec forbids them, and a config.json
 * with two values for one field is ambiguous), trailing garbage is an error, and the text must be valid UTF-8.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a file that must hold one JSON object; messages name the file. */
    public static ObjectNode readObject(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(file + ": no such file");
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parseObject(bytes, file.toString());
    }

    /** Parses UTF-8 bytes that must hold one JSON object; {@code source} names them in messages. */
    public static ObjectNode parseObject(byte[] utf8, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ModelLoadException(source + ": not valid UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(source + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ModelLoadException(source + ": expected a JSON object, found "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        return (ObjectNode) node;
    }
}
