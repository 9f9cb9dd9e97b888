package io.yinghuo.retrieval.rag;

import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key terms of a question, which decide whether retrieved passages cover it ({@link QueryCoverage}): the
 * index-free bigrams, and the index's own words weighted by how rare they are among its chunks.
 */
class KeyTermsTest {

    @TempDir
    Path dir;

    private static List<String> bigrams(String question) {
        return KeyTerms.BIGRAMS.terms(question);
    }

    @Test
    void bigramsOfContentCharactersSkipFunctionAndQuestionCharacters() {
        // 在 and 哪 are function/question characters: no bigram runs through them
        assertEquals(List.of("沼鹿", "鹿住"), bigrams("沼鹿住在哪里？"));
        assertEquals(List.of("书"), bigrams("他的书"), "no bigram with 的 before the content character");
        assertEquals(List.of("书"), bigrams("书的"), "nor after it");
        assertEquals(List.of("长江", "江长"), bigrams("长江长江"), "each term once");
        assertEquals(List.of("台湾"), bigrams("臺灣"), "folded to simplified script");
        assertEquals(1.0, KeyTerms.BIGRAMS.weight("台湾"));
        assertArrayEquals(new double[] {1.0, 1.0}, KeyTerms.BIGRAMS.weights(List.of("沼鹿", "鹿住")));
    }

    @Test
    void latinWordsAndNumbersAreTermsInTheOrderAsked() {
        assertEquals(List.of("iphone", "15"), bigrams("iPhone 15多少钱"), "lower-cased; 钱 alone gives no bigram");
        assertEquals(List.of("java", "学习"), bigrams("java学习"));
        assertEquals(List.of("学习", "java"), bigrams("学习Java"));
        assertEquals(List.of("a", "b"), bigrams("a,b"));
    }

    @Test
    void aQuestionWithoutBigramsFallsBackToItsContentCharacters() {
        assertEquals(List.of("钱"), bigrams("钱？"));
        assertEquals(List.of("书", "钱"), bigrams("书和钱"));
        assertEquals(List.of(), bigrams("什么？"));
    }

    @Test
    void theIndexWeighsARareWordAboveACommonOneByItsInverseDocumentFrequency() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "c", "甲", "长江是中国最长的河流。", "美国的首都是华盛顿。");
            TestIndexes.put(index, "b", "c", "乙", "美国有五十个州。", "美国的人口超过三亿。");
            KeyTerms keyTerms = KeyTerms.ofIndex(index);
            double[] weights = keyTerms.weights(List.of("长江", "美国", "沼鹿"));
            // four chunks: 长江 in one, 美国 in three, 沼鹿 in none
            assertArrayEquals(new double[] {Math.log(1 + 3.5 / 1.5), Math.log(1 + 1.5 / 3.5), Math.log(1 + 4.5 / 0.5)},
                    weights, 1e-12);
            assertEquals(weights[0], keyTerms.weight("长江"), 1e-12);
            assertEquals(weights[2], keyTerms.weight("沼鹿"), 1e-12);

            // the index's words, not the bigrams (故宫 宫博 博物 物院) a question falls back to
            assertEquals(List.of("故宫", "博物院"), keyTerms.terms("故宫博物院在哪里？"));
            List<String> terms = keyTerms.terms("长江为什么是中国最长的河流？");
            assertTrue(terms.contains("长江") && terms.contains("中国"), terms.toString());
            for (String term : terms) {
                assertFalse(term.contains("什") || term.equals("的") || term.equals("是") || term.equals("？"),
                        terms.toString());
            }
            assertEquals(List.of("java"), keyTerms.terms("Java是什么？"), "lower-cased, the question word left out");
            // nothing but function and question words: the bigram fallback, which has none either
            assertEquals(List.of(), keyTerms.terms("是什么？"));
        }
    }
    @Test
    void theIndexKeepsOneCharacterWordsAndWordsThatStartWithAFunctionCharacter() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "c", "甲", "这本书有三百页。", "合同的有效期是两年。");
            KeyTerms keyTerms = KeyTerms.ofIndex(index);
            assertEquals(List.of("书", "页"), keyTerms.terms("书有多少页？"));
            assertEquals(List.of("合同", "有效期"), keyTerms.terms("合同的有效期是多少？"));
        }
    }

    @Test
    void aHowMuchQuestionWordIsNotATopicSoThePassageThatAnswersItIsRelevant() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "c", "甲", "本产品的保修期为两年。", "长江全长六千三百公里。");
            KeyTerms keyTerms = KeyTerms.ofIndex(index);
            // 多久 is in no chunk, so as a term it weighed more than the topic and sank the answer below the floor.
            assertTrue(QueryCoverage.of("保修期多久？", keyTerms).relevant("本产品的保修期为两年。", 0.35));
            assertFalse(QueryCoverage.of("保修期多久？", keyTerms).relevant("长江全长六千三百公里。", 0.35));
            assertEquals(List.of("保修期"), keyTerms.terms("保修期多久？"));
            assertEquals(List.of("航程", "远"), keyTerms.terms("航程有多远？"), "多 apart from its adjective: 远 stays");
        }
    }
}
