package io.yinghuo.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UI's label tables (web/i18n.js). A key given twice in one language silently keeps the last value in a
 * JavaScript object literal, and a key missing from one language shows its raw name: both are checked here.
 */
class UiLabelsTest {

    private static final Pattern KEY = Pattern.compile("^\\s*'([a-zA-Z0-9.]+)':|,\\s*'([a-zA-Z0-9.]+)':",
            Pattern.MULTILINE);

    private static List<Set<String>> languages() throws IOException {
        String source;
        try (InputStream in = UiLabelsTest.class.getResourceAsStream("/web/i18n.js")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int zh = source.indexOf("zh: {");
        int en = source.indexOf("en: {");
        assertTrue(zh > 0 && en > zh, "i18n.js has a zh table, then an en table");
        List<Set<String>> tables = new ArrayList<>();
        for (String table : List.of(source.substring(zh, en), source.substring(en))) {
            Set<String> keys = new LinkedHashSet<>();
            Set<String> repeated = new HashSet<>();
            Matcher m = KEY.matcher(table);
            while (m.find()) {
                String key = m.group(1) != null ? m.group(1) : m.group(2);
                if (!keys.add(key)) {
                    repeated.add(key);
                }
            }
            assertEquals(Set.of(), repeated, "keys given twice in one language");
            tables.add(keys);
        }
        return tables;
    }

    @Test
    void everyLabelOnceInEachLanguageAndInBoth() throws IOException {
        List<Set<String>> tables = languages();
        assertTrue(tables.get(0).size() > 50, "the tables were read: " + tables.get(0).size() + " keys");
        assertEquals(tables.get(0), tables.get(1), "the same keys in Chinese and English");
    }
}
