package io.yinghuo.retrieval.rag;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuestionSplitterTest {

    private final QuestionSplitter splitter = new QuestionSplitter();

    private List<String> texts(String question) {
        return splitter.split(question).stream().map(QuestionPart::text).toList();
    }

    @Test
    void splitsSentencesAndDropsTheConnective() {
        assertEquals(List.of("范廷颂是什么时候被任为主教的？", "《战国无双3》是由哪两个公司合作开发的？"),
                texts("范廷颂是什么时候被任为主教的？另外，《战国无双3》是由哪两个公司合作开发的？"));
        assertEquals(List.of("长江有多长？", "黄河发源于哪里？"), texts("长江有多长？黄河发源于哪里？"));
        assertEquals(List.of("长江有多长。", "黄河发源于哪里？"), texts("长江有多长。黄河发源于哪里？"));
    }

    @Test
    void splitsClausesJoinedByConnectives() {
        assertEquals(List.of("北京大学是哪一年创办的", "清华大学的校长是谁？"),
                texts("北京大学是哪一年创办的，并且清华大学的校长是谁？"));
        assertEquals(List.of("北京大学是哪一年创办的", "清华大学的校长是谁？"),
                texts("北京大学是哪一年创办的，另外清华大学的校长是谁？"));
        // Without a comma only when both sides are questions.
        assertEquals(List.of("北京大学是哪年创办的", "清华大学的校长是谁"),
                texts("北京大学是哪年创办的以及清华大学的校长是谁"));
        assertEquals(List.of("北京以及上海的人口是多少？"), texts("北京以及上海的人口是多少？"));
    }

    @Test
    void distributesFenBieOverItsList() {
        assertEquals(List.of("《红楼梦》的作者是谁？", "《西游记》的作者是谁？"),
                texts("《红楼梦》和《西游记》的作者分别是谁？"));
        assertEquals(List.of("北京的人口是多少？", "上海的人口是多少？", "广州的人口是多少？"),
                texts("请问北京、上海和广州的人口分别是多少？"));
        assertEquals(List.of("长江的长度是多少", "黄河的长度是多少"), texts("长江与黄河的长度分别是多少"));
    }

    @Test
    void keepsStatementsAsContextOfTheNextQuestion() {
        assertEquals(List.of("我在看北京大学的资料。它是哪年创办的？"), texts("我在看北京大学的资料。它是哪年创办的？"));
    }

    @Test
    void resolvesBackReferencesToThePartBefore() {
        assertEquals(List.of("北京大学是哪一年创办的？", "北京大学的校长是谁？"),
                texts("北京大学是哪一年创办的？它的校长是谁？"));
        assertEquals(List.of("北京大学是哪一年创办的", "北京大学的校长是谁？"),
                texts("北京大学是哪一年创办的，并且它的校长是谁？"));
    }

    @Test
    void aSimpleQuestionIsOnePart() {
        assertEquals(List.of("长江有多长？"), texts("长江有多长？"));
        assertEquals(List.of("好？"), texts("好？"));
    }

    @Test
    void tiesPartsToTheDocumentsTheyName() {
        List<NamedDocument> catalogue = List.of(
                NamedDocument.of("doc-report", "2023年度报告", "年度报告.pdf"),
                NamedDocument.of("doc-budget", "预算说明", "财务/预算说明.docx"),
                NamedDocument.of("doc-river", "长江", "长江.txt"));
        List<QuestionPart> parts = splitter.split("比较《年度报告》和《预算说明》的结论有什么不同？", catalogue);
        assertEquals(2, parts.size());
        assertEquals(Set.of("doc-report"), parts.get(0).docIds());
        assertEquals(Set.of("doc-budget"), parts.get(1).docIds());
        assertEquals(parts.get(0).text(), parts.get(1).text());

        // A file name with its extension is a name even without quotes.
        assertEquals(Set.of("doc-budget"), splitter.split("预算说明.docx里提到的总金额是多少？", catalogue).get(0).docIds());
        // A short bare word is not taken for a document name: "长江" here is a river, not necessarily 长江.txt.
        assertEquals(Set.of(), splitter.split("长江有多长？", catalogue).get(0).docIds());
        assertEquals(Set.of("doc-river"), splitter.split("《长江》里说长江有多长？", catalogue).get(0).docIds());

        // 分别 over named documents: each part names one.
        List<QuestionPart> each = splitter.split("《年度报告》和《预算说明》的发布日期分别是哪天？", catalogue);
        assertEquals(List.of(Set.of("doc-report"), Set.of("doc-budget")), each.stream().map(QuestionPart::docIds)
                .toList());
    }

    @Test
    void tooManyPartsAreMergedIntoTheLast() {
        String question = "甲是谁？乙是谁？丙是谁？丁是谁？戊是谁？己是谁？庚是谁？辛是谁？";
        List<String> parts = texts(question.replace("是谁", "的作者是谁"));
        assertEquals(QuestionSplitter.MAX_PARTS, parts.size());
    }

    @Test
    void partsFollowTheOrderTheDocumentsAreMentionedNotTheCatalogueOrder() {
        List<NamedDocument> catalogue = List.of(
                NamedDocument.of("doc-budget", "预算说明", "预算说明.docx"),
                NamedDocument.of("doc-report", "2023年度报告", "年度报告.pdf"));
        List<QuestionPart> parts = splitter.split("比较《年度报告》和《预算说明》的结论有什么不同？", catalogue);
        assertEquals(List.of(Set.of("doc-report"), Set.of("doc-budget")), parts.stream().map(QuestionPart::docIds)
                .toList());
        List<QuestionPart> reversed = splitter.split("比较《预算说明》和《年度报告》的结论有什么不同？", catalogue);
        assertEquals(List.of(Set.of("doc-budget"), Set.of("doc-report")), reversed.stream()
                .map(QuestionPart::docIds).toList());
    }

    @Test
    void aTitleInsideALongerTitleNamesOnlyTheLongerDocument() {
        List<NamedDocument> catalogue = List.of(
                NamedDocument.of("doc-report", "年度报告", "年度报告.pdf"),
                NamedDocument.of("doc-summary", "年度报告摘要", "年度报告摘要.pdf"));
        List<QuestionPart> parts = splitter.split("年度报告摘要.pdf里的结论是什么？", catalogue);
        assertEquals(List.of(Set.of("doc-summary")), parts.stream().map(QuestionPart::docIds).toList());
        // The shorter title named on its own still finds its own document.
        assertEquals(Set.of("doc-report"), splitter.split("年度报告.pdf里的结论是什么？", catalogue).get(0).docIds());
    }

    @Test
    void aPartNeedsFourLettersOrStaysWithItsNeighbour() {
        // Sentences: four letters stand alone, three are context for the next question.
        assertEquals(List.of("长江多长？", "黄河有多长？"), texts("长江多长？黄河有多长？"));
        assertEquals(List.of("江多长？黄河有多长？"), texts("江多长？黄河有多长？"));
        // Clauses: both sides of the connective need four letters.
        assertEquals(List.of("长江多长", "黄河多长？"), texts("长江多长，另外黄河多长？"));
        assertEquals(List.of("长江长，另外黄河多长？"), texts("长江长，另外黄河多长？"));
        assertEquals(List.of("长江多长", "黄河长吗"), texts("长江多长以及黄河长吗"));
        assertEquals(List.of("长江多长以及河长吗"), texts("长江多长以及河长吗"));
    }

    @Test
    void aStatementAfterTheLastQuestionStaysWithIt() {
        assertEquals(List.of("长江有多长？我想知道。"), texts("长江有多长？我想知道。"));
    }

    @Test
    void aQuestionWithoutLettersIsKeptAsAsked() {
        assertEquals(List.of("？！"), texts("？！"));
    }

    @Test
    void aBackReferenceInTheFirstPartIsLeftForTheConversationToResolve() {
        assertEquals(List.of("它的校长是谁？"), texts("它的校长是谁？"));
        assertEquals(List.of("它的校长是谁？", "北京大学是哪一年创办的？"), texts("它的校长是谁？北京大学是哪一年创办的？"));
    }

    @Test
    void aBareTitleOfFourCharactersNamesItsDocumentAShorterOneDoesNot() {
        List<NamedDocument> catalogue = List.of(
                NamedDocument.of("doc-budget", "预算说明", "预算说明.docx"),
                NamedDocument.of("doc-plan", "规划书", "规划书.pdf"));
        assertEquals(Set.of("doc-budget"), splitter.split("预算说明里的总金额是多少？", catalogue).get(0).docIds());
        assertEquals(Set.of(), splitter.split("规划书里的总金额是多少？", catalogue).get(0).docIds());
        assertEquals(Set.of("doc-plan"), splitter.split("《规划书》里的总金额是多少？", catalogue).get(0).docIds());
    }

    @Test
    void aLaterPartStartingWithADeterminerIsMadeStandalone() {
        assertEquals(List.of("北京大学是哪一年创办的？", "北京大学，该校的校长是谁？"),
                texts("北京大学是哪一年创办的？该校的校长是谁？"));
    }

    @Test
    void fenBieWithoutAListOfTwoIsLeftAsAsked() {
        assertEquals(List.of("这三个人分别是谁？"), texts("这三个人分别是谁？"));
        assertEquals(List.of("和鲁迅的作品分别有哪些？"), texts("和鲁迅的作品分别有哪些？"));
        assertEquals(List.of("长江有多长？", "这三个人分别是谁？"), texts("长江有多长？这三个人分别是谁？"));
        assertEquals(List.of("长江有多长？", "和鲁迅的作品分别有哪些？"), texts("长江有多长？和鲁迅的作品分别有哪些？"));
    }

    @Test
    void aOneCharacterTitleNamesNoDocument() {
        List<NamedDocument> catalogue = List.of(NamedDocument.of("doc-a", "甲", "甲.txt"));
        assertEquals(Set.of(), splitter.split("《甲》里写了什么？", catalogue).get(0).docIds());
        assertEquals(Set.of("doc-a"), splitter.split("甲.txt里写了什么？", catalogue).get(0).docIds());
    }
}
