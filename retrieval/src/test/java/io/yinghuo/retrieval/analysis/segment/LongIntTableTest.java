package io.yinghuo.retrieval.analysis.segment;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segmenter's dictionary table answers as a map would: every key put is found with its first value, every
 * other key is absent, for every capacity up to the one asked for (the real dictionaries, built once per JVM, hold
 * hundreds of thousands of keys).
 */
class LongIntTableTest {

    @Test
    void holdsAsManyKeysAsAskedAndAnswersLikeAMap() {
        Random random = new Random(24);
        for (int capacity = 1; capacity <= 300; capacity++) {
            LongIntTable table = new LongIntTable(capacity);
            Map<Long, Integer> expected = new HashMap<>();
            while (expected.size() < capacity) {
                // small keys collide in few low bits, large and negative ones only after mixing
                long key = switch (expected.size() % 4) {
                    case 0 -> expected.size() + 1L;
                    case 1 -> -(expected.size() + 1L);
                    case 2 -> (long) (expected.size() + 1) << 40;
                    default -> random.nextLong() | 1;
                };
                int value = random.nextInt();
                if (expected.putIfAbsent(key, value) == null) {
                    assertEquals(value, table.putIfAbsent(key, value));
                }
            }
            assertEquals(capacity, table.size());
            for (Map.Entry<Long, Integer> entry : expected.entrySet()) {
                assertEquals(entry.getValue(), table.get(entry.getKey(), -7), "capacity " + capacity);
                assertEquals(entry.getValue(), table.putIfAbsent(entry.getKey(), 12345), "the first value stays");
            }
            assertEquals(capacity, table.size(), "putting a present key adds nothing");
            for (long absent : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 3L << 50, -99999}) {
                if (!expected.containsKey(absent)) {
                    assertEquals(-7, table.get(absent, -7));
                }
            }
        }
    }

    @Test
    void aFullTableRefusesAnotherKeyAndZeroIsNoKey() {
        LongIntTable table = new LongIntTable(4); // 8 slots: 4 keys at most, half full
        for (long key = 1; key <= 4; key++) {
            table.putIfAbsent(key, (int) key);
        }
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> table.putIfAbsent(5, 5));
        assertEquals("table full: 4 keys", full.getMessage());
        assertEquals(4, table.putIfAbsent(4, 40), "a present key is still answered");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> table.putIfAbsent(0, 1));
        assertTrue(zero.getMessage().contains("key 0"));
    }
}
