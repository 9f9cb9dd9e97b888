package io.yinghuo.retrieval.analysis.segment;

import org.apache.lucene.analysis.cn.smart.WordType;
import org.apache.lucene.analysis.cn.smart.hhmm.HHMMSegmenter;
import org.apache.lucene.analysis.cn.smart.hhmm.SegToken;
import org.apache.lucene.analysis.cn.smart.hhmm.SegTokenFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our segmenter against Lucene's smartcn segmenter, the reference, word for word. */
class SmartcnSegmenterTest {

    /** Frequent characters, so that random text is full of dictionary words and word-pair hits. */
    private static final String COMMON_HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发"
            + "年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
            + "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
            + "么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品"
            + "式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取"
            + "据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风"
            + "切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广"
            + "石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史"
            + "感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京"
            + "识适属圆包火住调满县局照参红细引听该铁价严龙飞臺灣與後會們說這個來時國經";
    private static final String[] OTHER_PIECES = {
        " ", "  ", "\t", "\n", "\r\n", "\u3000", "，", "。", "！", "？", "、", "“", "”", "《", "》", "—", "…", "·",
        ",", ".", ";", ":", "!", "?", "(", ")", "[", "]", "-", "@", "#", "¥", "°",
        "a", "Z", "abc", "IBM", "iPhone", "x86", "3", "42", "3.14", "2024", "１２", "９", "ＡＢＣ", "ｘ", "Ａb", "A１",
        "𠀀", "𠀁𠀂", "\uD800", "\uDC00", "😀", "é", "ß", "ア", "カタカナ", "한", "Ω", "я", "\u0000", "\uFFFD", "\uFFFF",
        "未##串", "始##始", "末##末", "@", "中 国", "人 民", "北\u3000京",
    };

    @Test
    void dictionariesAreLoaded() {
        assertTrue(SmartcnDictionaries.coreWords().nodeCount() > 85_000, "core words trie");
        assertEquals(328_856, SmartcnDictionaries.wordPairs().size(), "pair entries in smartcn 9.x");
        assertTrue(SmartcnDictionaries.coreWords().frequencyOf("中国".toCharArray()) > 0);
        assertEquals(0, SmartcnDictionaries.coreWords().frequencyOf("中国国中".toCharArray()));
    }

    @Test
    void sameWordsAsSmartcnOnHandPickedSentences() {
        SmartcnSegmenter ours = new SmartcnSegmenter();
        HHMMSegmenter reference = new HHMMSegmenter();
        String[] sentences = {
            "", " ", "。", "我", "中国", "我爱北京天安门。", "他说：“我们明天去北京。”",
            "《战国无双3》（）是由光荣和ω-force开发的战国无双系列的正统第三续作。",
            "臺灣的首都是臺北市，人口約２６０萬。", "Taipei 101 曾是世界最高的建築！ＡＢＣ１２３ｘｙｚ",
            "中 华 人 民 共 和 国成立于1949年10月1日", "𠀀𠀁是扩展B的字。", "e-mail: a@b.cn 3.14", "\uD800孤\uDC00立",
        };
        for (String sentence : sentences) {
            assertEquals(expected(reference, sentence), actual(ours, sentence), sentence);
        }
    }

    @Test
    void sameWordsAsSmartcnOnRandomText() {
        SmartcnSegmenter ours = new SmartcnSegmenter();
        HHMMSegmenter reference = new HHMMSegmenter();
        Random random = new Random(20261123);
        for (int n = 0; n < 20_000; n++) {
            String sentence = randomSentence(random);
            assertEquals(expected(reference, sentence), actual(ours, sentence), () -> escape(sentence));
        }
    }

    @Test
    void longSentencesGrowTheBuffers() {
        SmartcnSegmenter ours = new SmartcnSegmenter();
        HHMMSegmenter reference = new HHMMSegmenter();
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        while (text.length() < 5_000) {
            text.append(randomSentence(random));
        }
        String sentence = text.toString();
        assertEquals(expected(reference, sentence), actual(ours, sentence));
        assertEquals(expected(reference, "短句。"), actual(ours, "短句。"), "after a long one");
    }

    private static String randomSentence(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(40);
        for (int i = 0; i < pieces; i++) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                text.append(COMMON_HANZI.charAt(random.nextInt(COMMON_HANZI.length())));
            } else if (kind < 7) {
                text.append((char) (0x4E00 + random.nextInt(0x9FA5 - 0x4E00 + 1))); // any Han character smartcn knows as Han
            } else {
                text.append(OTHER_PIECES[random.nextInt(OTHER_PIECES.length)]);
            }
        }
        return text.toString();
    }

    private static List<String> actual(SmartcnSegmenter segmenter, String sentence) {
        SentenceWords words = segmenter.segment(sentence);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            result.add(new String(words.term(i)) + "@" + words.start(i) + "-" + words.end(i));
        }
        return result;
    }

    /** What smartcn's own tokenizer emits for a sentence (its WordSegmenter: markers dropped, runs as written). */
    private static List<String> expected(HHMMSegmenter segmenter, String sentence) {
        List<SegToken> path = segmenter.process(sentence);
        SegTokenFilter filter = new SegTokenFilter();
        List<String> result = new ArrayList<>();
        for (SegToken token : path.subList(1, path.size() - 1)) {
            switch (token.wordType) {
                case WordType.STRING, WordType.NUMBER, WordType.FULLWIDTH_STRING, WordType.FULLWIDTH_NUMBER ->
                        token.charArray = sentence.substring(token.startOffset, token.endOffset).toCharArray();
                default -> {
                }
            }
            token = filter.filter(token);
            result.add(new String(token.charArray) + "@" + token.startOffset + "-" + token.endOffset);
        }
        return result;
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
