package io.yinghuo.model.synth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.checkpoint.SafetensorsFile;
import io.yinghuo.model.checkpoint.StrictJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    @Test
    void sortsByDtypeSizeThenNamePadsHeaderAndRoundTrips() throws IOException {
        Path f = dir.resolve("w.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .add("z_half", DType.F16, new long[] {3}, out -> {
                    for (int i = 0; i < 3; i++) {
                        out.putShort((short) (0x3C00 + i));
                    }
                })
                .add("b_int", DType.I32, new long[] {2, 2}, out -> out.putInts(new int[] {1, 2, 3, 0x76543210}, 0, 4))
                .add("a_byte", DType.U8, new long[] {1}, out -> out.putBytes(new byte[] {42}))
                .add("a_int", DType.I32, new long[] {1}, out -> out.putInt(-7))
                .add("m_long", DType.I64, new long[] {1}, out -> out.putLong(Long.MIN_VALUE))
                .write(f);

        byte[] bytes = Files.readAllBytes(f);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, headerLength % 8, "header padded to a multiple of 8");
        int end = (int) (8 + headerLength);
        int close = end - 1;
        while (bytes[close] != '}') {
            assertEquals(' ', bytes[close], "padded with spaces");
            close--;
        }
        assertTrue(end - 1 - close < 8, "no more padding than needed");
        ObjectNode header = StrictJson.parseObject(java.util.Arrays.copyOfRange(bytes, 8, (int) (8 + headerLength)),
                "header");
        List<String> order = new ArrayList<>();
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            order.add(it.next());
        }
        assertEquals(List.of("__metadata__", "m_long", "a_int", "b_int", "z_half", "a_byte"), order);
        assertEquals("[0,8]", header.get("m_long").get("data_offsets").toString());
        assertEquals("[8,12]", header.get("a_int").get("data_offsets").toString());

        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals("pt", st.metadata().get("format"));
            assertEquals(0x76543210, st.buffer("b_int").asIntBuffer().get(3));
            assertEquals(-7, st.buffer("a_int").getInt(0));
            assertEquals((short) 0x3C02, st.buffer("z_half").getShort(4));
            assertEquals(42, st.buffer("a_byte").get(0));
            assertEquals(Long.MIN_VALUE, st.buffer("m_long").getLong(0));
            assertEquals(0, st.info("b_int").fileOffset() % 4, "aligned to the element size");
        }
        assertFalse(Files.exists(dir.resolve("w.safetensors.partial")));
    }

    @Test
    void contentMustWriteExactlyTheDeclaredBytes() {
        Path f = dir.resolve("bad.safetensors");
        SafetensorsWriter tooFew = new SafetensorsWriter().add("t", DType.F32, new long[] {2}, out -> out.putFloat(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tooFew.write(f));
        assertTrue(e.getMessage().contains("tensor t: wrote 4 bytes") && e.getMessage().contains("need 8"));
        SafetensorsWriter tooMany = new SafetensorsWriter().add("t", DType.F16, new long[] {1}, out -> out.putInt(1));
        assertThrows(IllegalStateException.class, () -> tooMany.write(f));
        assertFalse(Files.exists(f));
        assertFalse(Files.exists(dir.resolve("bad.safetensors.partial")), "partial file removed");
    }

    @Test
    void namesAreUnique() {
        SafetensorsWriter w = new SafetensorsWriter().add("t", DType.U8, new long[] {0}, out -> { });
        assertThrows(IllegalArgumentException.class, () -> w.add("t", DType.U8, new long[] {0}, out -> { }));
        assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", DType.U8, new long[] {0}, out -> { }));
    }
}
