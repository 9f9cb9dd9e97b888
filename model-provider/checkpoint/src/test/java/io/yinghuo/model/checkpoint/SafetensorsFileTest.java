package io.yinghuo.model.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * safetensors reading and every header check of the format (huggingface/safetensors README "Format": u64 LE header
 * length, JSON header, offsets relative to the data buffer, no holes or overlaps, no duplicate keys), on files built
 * byte by byte.
 */
class SafetensorsFileTest {
    @TempDir
    Path dir;

    /** Writes 8-byte LE length + header + data, exactly as given (no validation, so broken files can be made). */
    static Path raw(Path file, long declaredHeaderLength, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredHeaderLength).put(h).put(data);
        Files.write(file, b.array());
        return file;
    }

    static Path raw(Path file, String header, byte[] data) throws IOException {
        return raw(file, header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    private Path file(String header, int dataBytes) throws IOException {
        return raw(dir.resolve("m.safetensors"), header, new byte[dataBytes]);
    }

    private String openError(Path file) {
        return assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(file).close()).getMessage();
    }

    @Test
    void readsTensorsMetadataAndLittleEndianData() throws IOException {
        byte[] data = new byte[16 + 4];
        ByteBuffer d = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        d.putInt(0, 0x76543210).putInt(4, -1).putInt(8, 7).putInt(12, 8);
        d.putShort(16, (short) 0x3C00).putShort(18, (short) 0xC000);
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[16,20]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[20,20]},"
                + "\"scalar_empty\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[20,20]}}   ";
        Path f = raw(dir.resolve("ok.safetensors"), header, data);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(Set.of("a", "b", "empty", "scalar_empty"), st.names());
            TensorInfo a = st.info("a");
            assertEquals(DType.I32, a.dtype());
            assertArrayEquals(new long[] {2, 2}, a.shape());
            assertEquals(8 + header.length(), a.fileOffset());
            assertEquals(16, a.byteLength());
            ByteBuffer ab = st.buffer("a");
            assertEquals(ByteOrder.LITTLE_ENDIAN, ab.order());
            assertTrue(ab.isReadOnly());
            assertTrue(ab.isDirect(), "tensors are mapped, not copied to the heap");
            assertEquals(16, ab.limit());
            assertEquals(0x76543210, ab.getInt(0));
            assertEquals(-1, ab.asIntBuffer().get(1));
            // a second view is independent and also little-endian
            ByteBuffer again = st.buffer("a");
            again.position(8);
            assertEquals(0, st.buffer("a").position());
            assertEquals(ByteOrder.LITTLE_ENDIAN, again.order());
            assertEquals((short) 0x3C00, st.buffer("b").getShort(0));
            assertEquals(0, st.buffer("empty").limit());
            assertTrue(st.contains("b"));
            assertFalse(st.contains("c"));
            String missing = assertThrows(ModelLoadException.class, () -> st.info("c")).getMessage();
            assertTrue(missing.contains("ok.safetensors") && missing.contains("c"), missing);
        }
    }

    @Test
    void fileShorterThanLengthField() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        String m = openError(f);
        assertTrue(m.contains("short.safetensors") && m.contains("shorter than the 8-byte"), m);
    }

    @Test
    void headerLengthBeyondFile() throws IOException {
        String m = openError(raw(dir.resolve("t.safetensors"), 500, "{}", new byte[0]));
        assertTrue(m.contains("t.safetensors") && m.contains("header length 500 exceeds"), m);
    }

    @Test
    void absurdHeaderLength() throws IOException {
        String m = openError(raw(dir.resolve("t.safetensors"), -5, "{}", new byte[0]));
        assertTrue(m.contains("header length 18446744073709551611"), m);
        m = openError(raw(dir.resolve("t2.safetensors"), 100_000_001, "{}", new byte[0]));
        assertTrue(m.contains("outside 2..100000000"), m);
    }

    @Test
    void headerNotJsonObject() throws IOException {
        assertTrue(openError(file("[1,2]   ", 0)).contains("does not start with '{'"));
        String m = openError(file("{\"a\":{\"dtype\":\"F16\",", 0));
        assertTrue(m.contains("m.safetensors") && m.contains("invalid JSON"), m);
        m = openError(file("{} x", 0));
        assertTrue(m.contains("invalid JSON"), m);
    }

    @Test
    void invalidUtf8() throws IOException {
        byte[] header = {'{', '"', (byte) 0xC3, '"', ':', '1', '}', ' '};
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(8).put(header);
        Path f = dir.resolve("u.safetensors");
        Files.write(f, b.array());
        assertTrue(openError(f).contains("not valid UTF-8"));
    }

    @Test
    void duplicateKey() throws IOException {
        String m = openError(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2));
        assertTrue(m.contains("invalid JSON") && m.contains("Duplicate field 'a'"), m);
    }

    @Test
    void unknownDtype() throws IOException {
        String m = openError(file("{\"w\":{\"dtype\":\"Q4_0\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2));
        assertTrue(m.contains("tensor w") && m.contains("unknown dtype Q4_0"), m);
    }

    @Test
    void byteLengthMustMatchShape() throws IOException {
        String m = openError(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,10]}}", 10));
        assertTrue(m.contains("m.safetensors: tensor w") && m.contains("span 10 bytes") && m.contains("needs 12"), m);
    }

    @Test
    void malformedEntries() throws IOException {
        assertTrue(openError(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0))
                .contains("non-negative integers"));
        assertTrue(openError(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[2]}}", 2))
                .contains("data_offsets must be [BEGIN, END]"));
        assertTrue(openError(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[2,0]}}", 2))
                .contains("end before they begin"));
        assertTrue(openError(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,2]}}", 2)).contains("dtype"));
        assertTrue(openError(file("{\"w\":[1]}", 0)).contains("tensor w"));
        assertTrue(openError(file("{\"__metadata__\":{\"n\":1}}", 0)).contains("must be a string"));
    }

    @Test
    void offsetsOutsideTheDataBuffer() throws IOException {
        String m = openError(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 12));
        assertTrue(m.contains("tensor w") && m.contains("outside the 12-byte data buffer"), m);
    }

    @Test
    void overlappingTensors() throws IOException {
        String m = openError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12));
        assertTrue(m.contains("tensor b") && m.contains("overlap tensor a"), m);
    }

    @Test
    void holeBetweenTensors() throws IOException {
        String m = openError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12));
        assertTrue(m.contains("tensor b") && m.contains("leave a hole at bytes 4..8"), m);
        m = openError(file("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8));
        assertTrue(m.contains("hole at bytes 0..4"), m);
    }

    @Test
    void trailingBytesNotCovered() throws IOException {
        String m = openError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 6));
        assertTrue(m.contains("cover 4 of the 6 data bytes"), m);
    }

    @Test
    void truncatedData() throws IOException {
        Path f = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 3));
        String m = openError(f);
        assertTrue(m.contains("tensor a") && m.contains("file truncated"), m);
    }

    /** Java maps at most 2 GiB at once; a sparse file holds a 3 GiB tensor without using the disk. */
    @Test
    void tensorOver2GiBIsRefusedClearly() throws IOException {
        long big = 3L << 30;
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]}}";
        Path f = raw(dir.resolve("big.safetensors"), header, new byte[0]);
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            file.setLength(file.length() + big);
        }
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals(big, st.info("big").byteLength());
            String m = assertThrows(ModelLoadException.class, () -> st.buffer("big")).getMessage();
            assertTrue(m.contains("big.safetensors: tensor big") && m.contains("over 2 GiB"), m);
        }
    }

    @Test
    void missingFileAndDirectory() {
        assertTrue(openError(dir.resolve("none.safetensors")).contains("no such file"));
        assertTrue(openError(dir).contains(dir.toString()));
    }

    @Test
    void closeReleasesTheChannel() throws IOException {
        Path f = file("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", 4);
        SafetensorsFile st = SafetensorsFile.open(f);
        ByteBuffer a = st.buffer("a");
        st.close();
        assertEquals(0, a.get(0), "buffers taken before close stay readable");
        assertThrows(IllegalStateException.class, () -> st.buffer("b"));
        st.close(); // idempotent
    }
}
