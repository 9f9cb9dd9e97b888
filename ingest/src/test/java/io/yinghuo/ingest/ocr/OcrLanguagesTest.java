package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The models a language setting needs installed: what the start-up check asks Tesseract for. */
class OcrLanguagesTest {

    @Test
    void autoNeedsBothChineseModelsAndAnExplicitSettingItsOwn() {
        assertArrayEquals(new String[] {"chi_sim", "chi_tra"}, OcrLanguages.required(OcrLanguages.AUTO));
        assertArrayEquals(new String[] {"chi_sim", "eng"}, OcrLanguages.required("chi_sim+eng"));
        assertArrayEquals(new String[] {"chi_tra"}, OcrLanguages.required("chi_tra"));
    }
}
