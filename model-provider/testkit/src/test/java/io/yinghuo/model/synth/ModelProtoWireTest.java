package io.yinghuo.model.synth;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.tokenizer.SentencePieceModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A damaged tokenizer.model is refused with what is wrong and where, never read as something else: every field of
 * the ModelProto schema sent with another wire type, field numbers outside protobuf's range, fixed-width values and
 * strings that run past the message they belong to (with more of the file after them, so only the message's own
 * bounds can catch them), and float scores read to the last bit.
 */
class ModelProtoWireTest {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** A field of the schema: the message it sits in (0 = ModelProto itself), its number, name and wire type. */
    record Field(int parent, int number, String name, int wireType) {
    }

    static List<Field> schema() {
        List<Field> fields = new ArrayList<>(List.of(
                new Field(0, 1, "pieces", LENGTH_DELIMITED),
                new Field(0, 2, "trainer_spec", LENGTH_DELIMITED),
                new Field(0, 3, "normalizer_spec", LENGTH_DELIMITED),
                new Field(0, 5, "denormalizer_spec", LENGTH_DELIMITED),
                new Field(1, 1, "piece", LENGTH_DELIMITED),
                new Field(1, 2, "score", FIXED32),
                new Field(1, 3, "type", VARINT),
                new Field(3, 1, "normalizer_spec.name", LENGTH_DELIMITED),
                new Field(3, 2, "normalizer_spec.precompiled_charsmap", LENGTH_DELIMITED),
                new Field(3, 3, "normalizer_spec.add_dummy_prefix", VARINT),
                new Field(3, 4, "normalizer_spec.remove_extra_whitespaces", VARINT),
                new Field(3, 5, "normalizer_spec.escape_whitespaces", VARINT)));
        for (int number : new int[] {3, 4, 24, 35, 40, 41, 42, 43}) {
            fields.add(new Field(2, number, "trainer_spec." + number, VARINT));
        }
        for (int number = 44; number <= 48; number++) {
            fields.add(new Field(2, number, "trainer_spec." + number, LENGTH_DELIMITED));
        }
        return fields;
    }

    /** The field with a well-formed value of another wire type than its own. */
    private static ProtobufWriter wrong(Field field) {
        ProtobufWriter w = new ProtobufWriter();
        return field.wireType() == VARINT
                ? w.raw(field.number(), FIXED32, (byte) 1, (byte) 0, (byte) 0, (byte) 0)
                : w.varint(field.number(), 1);
    }

    private static ModelLoadException refused(ProtobufWriter model) {
        return assertThrows(ModelLoadException.class, () -> SentencePieceModel.parse(model.toByteArray(), "t.model"));
    }

    @Test
    void everySchemaFieldWithAnotherWireTypeIsRefusedByName() {
        for (Field field : schema()) {
            ProtobufWriter model = field.parent() == 0 ? wrong(field)
                    : new ProtobufWriter().message(field.parent(), wrong(field));
            ModelLoadException e = refused(model);
            int sent = field.wireType() == VARINT ? FIXED32 : VARINT;
            String expected = "field " + field.name() + " (" + field.number() + ") has wire type " + sent
                    + ", expected " + field.wireType();
            assertTrue(e.getMessage().startsWith("tokenizer model t.model is not a valid SentencePiece ModelProto: ")
                    && e.getMessage().contains(expected), field + ": " + e.getMessage());
        }
    }

    @Test
    void fieldNumbersOutsideProtobufsRangeAreRefused() {
        assertEquals("tokenizer model t.model is not a valid SentencePiece ModelProto: invalid field number 0 at byte 0",
                refused(new ProtobufWriter().varint(0, 1)).getMessage());
        ModelLoadException tooLarge = refused(new ProtobufWriter().raw(1L << 29, VARINT, (byte) 1));
        assertTrue(tooLarge.getMessage().endsWith("invalid field number 536870912 at byte 0"), tooLarge.getMessage());

        // the largest field number protobuf allows is an unknown field, skipped
        ProtobufWriter largest = new ProtobufWriter().varint((1 << 29) - 1, 1);
        ProtobufWriter piece = new ProtobufWriter().string(1, "<unk>").int32(3, PieceType.UNKNOWN.protoNumber());
        SentencePieceModel model = SentencePieceModel.parse(
                concat(largest.toByteArray(), new ProtobufWriter().message(1, piece).toByteArray()), "t.model");
        assertEquals(1, model.pieces().size());
    }

    @Test
    void fixedWidthValuesCutShortInsideAPieceAreRefused() {
        ProtobufWriter next = new ProtobufWriter().message(1, new ProtobufWriter().string(1, "<unk>"));
        // score: fixed32 with two of its four bytes, then the next piece
        assertTruncated("fixed32", new ProtobufWriter().raw(2, FIXED32, (byte) 0, (byte) 0), next);
        // an unknown fixed32 and an unknown fixed64 field, each a byte short
        assertTruncated("fixed32", new ProtobufWriter().raw(9, FIXED32, (byte) 0, (byte) 0, (byte) 0), next);
        assertTruncated("fixed64", new ProtobufWriter().raw(9, FIXED64, new byte[7]), next);
    }

    private static void assertTruncated(String what, ProtobufWriter piece, ProtobufWriter next) {
        byte[] file = concat(new ProtobufWriter().message(1, piece).toByteArray(), next.toByteArray());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentencePieceModel.parse(file, "t.model"));
        assertTrue(e.getMessage().contains("truncated " + what + " at byte "), e.getMessage());
    }

    @Test
    void aStringRunningPastItsPieceIsRefusedWithWhereItStarts() {
        // piece: field 1 claims 10 bytes but the piece message holds 3 of them; the file goes on with another piece
        ProtobufWriter piece = new ProtobufWriter().raw(1, LENGTH_DELIMITED, (byte) 10, (byte) 'a', (byte) 'b',
                (byte) 'c');
        byte[] file = concat(new ProtobufWriter().message(1, piece).toByteArray(),
                new ProtobufWriter().message(1, new ProtobufWriter().string(1, "<unk>")).toByteArray());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SentencePieceModel.parse(file, "t.model"));
        assertTrue(e.getMessage().endsWith(
                "length 10 runs past the end of its message (3 bytes left) at byte 3"), e.getMessage());
    }

    @Test
    void anUnknownPieceTypeIsRefusedWithItsPieceAndOffset() {
        ProtobufWriter model = new ProtobufWriter().message(1, new ProtobufWriter().string(1, "<unk>")
                .int32(3, PieceType.UNKNOWN.protoNumber())).message(1, new ProtobufWriter().string(1, "x").int32(3, 9));
        // piece 0 takes bytes 0-10, piece 1's tag and length 11-12, its string 13-15, its type's tag and value 16-17
        assertTrue(refused(model).getMessage().endsWith("piece 1 has unknown type 9 at byte 18"),
                refused(model).getMessage());
        ModelLoadException zero = refused(new ProtobufWriter().message(1, new ProtobufWriter().int32(3, 0)));
        assertTrue(zero.getMessage().contains("piece 0 has unknown type 0"), zero.getMessage());
        ModelLoadException seven = refused(new ProtobufWriter().message(1, new ProtobufWriter().int32(3, 7)));
        assertTrue(seven.getMessage().contains("piece 0 has unknown type 7"), seven.getMessage());
        SentencePieceModel bytePiece = SentencePieceModel.parse(new ProtobufWriter().message(1,
                new ProtobufWriter().string(1, "<0x41>").int32(3, 6)).toByteArray(), "t.model");
        assertEquals(PieceType.BYTE, bytePiece.pieces().get(0).type(), "6, the last type, is BYTE");
    }

    @Test
    void scoresAreReadToTheLastBit() {
        float score = Float.intBitsToFloat(0xBF9E0651); // -1.2345678: four bytes, none of them zero
        SentencePieceModel model = SentencePieceModel.parse(new ProtobufWriter().message(1,
                new ProtobufWriter().string(1, "中").float32(2, score)).toByteArray(), "t.model");
        assertEquals(Float.floatToIntBits(score), Float.floatToIntBits(model.pieces().get(0).score()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
