package io.yinghuo.ingest.chunk;

import io.yinghuo.ingest.SharedFiles;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast estimate that sizes chunks against the Chinese LLaMA-2 tokenizer itself, for each kind of text users
 * upload: it may over-estimate (a chunk a bit short costs less than one that overflows the context) but by no more
 * than half, and it under-estimates by at most a fifth (measured: numbers separated by spaces, 0.85, because the
 * tokenizer spends a token on each space before a number). Each kind is a few hundred
 * characters, so a wrong cost for one character class shows.
 */
class EstimatorCalibrationTest {

    /**
     * Texts of one kind each: Simplified and Traditional Chinese, English, digits, code, kana and symbols, emoji and
     * CJK Extension B hanzi (outside the Basic Multilingual Plane: four tokens each, byte fallback).
     */
    static Map<String, String> kinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("simplified", "长江是中国第一长河，全长约六千三百公里，流经青海、西藏、四川、云南、重庆、湖北、湖南、江西、"
                + "安徽、江苏和上海，最后注入东海。长江流域面积广大，人口众多，经济发达，是中华民族的重要发源地之一。"
                + "三峡工程是世界上规模最大的水电站，它的建成对防洪、发电和航运都有重要作用。");
        kinds.put("traditional", "臺灣位於東亞，西隔臺灣海峽與中國大陸相望，北臨東海，東濱太平洋。島上山脈縱貫南北，"
                + "玉山是東北亞最高峰。臺灣的氣候溫暖濕潤，物產豐富，農業與製造業都相當發達，電子產業尤其聞名於世界。");
        kinds.put("english", "The Yangtze is the longest river in Asia and the third longest in the world. It flows "
                + "for about six thousand three hundred kilometres from the glaciers of the Tibetan Plateau to the "
                + "East China Sea, and its basin is home to nearly a third of the population of the country.");
        kinds.put("digits", "2023 1260582 3.14159 20240601 8848.86 6300 1949 10086 95588 400 8008 7 365 24 60 "
                + "1024 2048 4096 65536 299792458 6022140760 1602176634 662607015");
        kinds.put("code", "if (x > 0 && y < 10) { return a[i] + b[j]; } // see https://example.com/a?b=c&d=e#f "
                + "for (int i = 0; i < n; i++) { sum += v[i] * w[i]; } print(\"done\"); x = {'k': [1, 2]};");
        kinds.put("fullwidth", "【通知】关于“五一”假期安排的说明（第二版）：一、放假时间；二、调休安排……《办法》第三条！"
                + "「注意」『重要』〔附件〕——请各部门遵照执行。？！；：、，。");
        kinds.put("kana and symbols", "こんにちは、これは日本語のテキストです。カタカナもあります。αβγδε ∑∫∂ ★☆♪ "
                + "①②③ ㈠㈡ ¥€£ °C ±×÷ 한국어 텍스트");
        kinds.put("emoji", "今天天气真好😀😀，我们去爬山吧！晚上吃火锅🍲🍲🍲，太开心了😂😂😂🎉🎉 👍👍 ❤️");
        kinds.put("extension B", "𠮷野家的𠮷字和𡘙、𨭉、𠀾都是扩展B区的汉字，电脑上常常显示不出来。");
        kinds.put("mixed", "2023年第3季度，Apple公司的iPhone 15在中国市场销量增长了12.5%，而华为Mate 60系列"
                + "的出货量超过了300万台。CEO Tim Cook表示：“China is very important to us.”");
        return kinds;
    }

    @Test
    void estimatesEachKindOfTextWithinItsBand() {
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.load(SharedFiles.tokenizerOrSkip());
        TokenCounter estimator = TokenCounter.estimator();
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (Map.Entry<String, String> kind : kinds().entrySet()) {
            String text = kind.getValue();
            int real = tokenizer.encode(text).length;
            int estimate = estimator.count(text);
            double ratio = estimate / (double) real;
            report.append(String.format(Locale.ROOT, "%n%-17s real %4d, estimate %4d (%.2f)", kind.getKey(), real,
                    estimate, ratio));
            ok &= ratio >= 0.8 && ratio <= 1.5;
        }
        System.out.println("estimator vs tokenizer:" + report);
        assertTrue(ok, "estimate outside 0.80-1.50 of the real count:" + report);
    }
}
