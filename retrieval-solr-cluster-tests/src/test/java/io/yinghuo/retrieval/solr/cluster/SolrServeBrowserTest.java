package io.yinghuo.retrieval.solr.cluster;

import io.yinghuo.retrieval.solr.SolrChunkStore;
import io.yinghuo.retrieval.solr.SolrLocation;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser UI of {@code serve --index solr:…} (a separate process, {@link ServeProcess}) in headless Chromium
 * ({@link HeadlessChromium}; skipped, saying why, without it): an upload is seen finished, a question gets an answer
 * that quotes and cites the passage; with every Solr node stopped, an upload fails in the page with the clear,
 * retryable message of the server's 503 {@code index_unavailable}, in Chinese and in English, nothing of it reaches
 * the collection, and its Retry succeeds once the cluster is back.
 *
 * <p>Time on the 2-core development machine, load average about 9: 37–48 s for the class (the upload and answer
 * 9 s, the outage and retry 12 s, the rest Chromium's and {@code serve}'s starts), plus 11–17 s for the cluster's
 * start where this class is the first to ask for it ({@link SharedSolrCluster}).
 */
@ExtendWith({SharedSolrCluster.class, SolrServeBrowserTest.ScreenshotOnFailure.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrServeBrowserTest {

    @TempDir
    static Path dir;
    static SolrTestCluster cluster;
    static SolrLocation location;
    static ServeProcess app;
    static WebDriver driver;

    @BeforeAll
    static void start(SolrTestCluster shared) throws Exception {
        driver = HeadlessChromium.start(dir); // skips the class first where there is no Chromium
        cluster = shared;
        location = cluster.createCollection("e2e-browser");
        app = ServeProcess.start(dir.resolve("app"), "--index", location.display());
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void open() {
        driver.get(app.base + "/");
        // Each test starts in Chinese, without the conversations and language an earlier test left.
        driver.manage().deleteAllCookies();
        ((JavascriptExecutor) driver).executeScript("localStorage.clear();"
                + " localStorage.setItem('yinghuo.lang', 'zh')");
        driver.navigate().refresh();
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(90));
    }

    static Path file(String name, byte[] content) throws Exception {
        Path file = dir.resolve("files").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }

    static WebElement uploadRow(String name, String stage) {
        return waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".upload-item[data-name='" + name + "'][data-stage=" + stage + "]")));
    }

    @Test
    @Order(1)
    void anUploadIsSeenFinishedAndAQuestionGetsACitedAnswer() throws Exception {
        Path rivers = file("rivers.txt", SolrServeEndToEndTest.RIVERS.getBytes(StandardCharsets.UTF_8));
        Path tea = file("茶叶.txt", SolrServeEndToEndTest.TEA.getBytes(Charset.forName("GBK")));
        driver.findElement(By.id("file-input")).sendKeys(rivers + "\n" + tea);
        uploadRow("rivers.txt", "done");
        uploadRow("茶叶.txt", "done");
        // the list is drawn again when the library refreshes: read the names afresh until they settle
        List<String> expected = List.of("rivers.txt", "茶叶.txt");
        waiting().ignoring(StaleElementReferenceException.class).until(d -> expected.equals(
                d.findElements(By.cssSelector("#doc-list .doc-name")).stream().map(WebElement::getText).sorted()
                        .toList()));

        driver.findElement(By.id("question")).sendKeys("长江有多长？");
        driver.findElement(By.id("send")).click();
        WebElement answer = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".message.assistant[data-done=true]")));
        // No model: the answer says it quotes the passages, and cites them.
        assertTrue(answer.findElement(By.cssSelector(".text")).getText().contains("原文摘录"), answer.getText());
        List<WebElement> citations = answer.findElements(By.cssSelector(".citation"));
        assertFalse(citations.isEmpty(), "sources are listed under the answer");
        assertTrue(citations.get(0).getText().contains("rivers.txt")
                && citations.get(0).getText().contains("六千三百公里"), citations.get(0).getText());
        assertFalse(citations.get(0).findElements(By.cssSelector(".snippet mark")).isEmpty(), "matches marked");

        // Open the citation: the passage in its document, highlighted (the text comes from the app, the offsets
        // from Solr).
        citations.get(0).click();
        WebElement cited = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#passage-text mark.cited")));
        assertTrue(cited.getText().contains("长江"), cited.getText());
        driver.findElement(By.id("passage-close")).click();

        // Search only: the GBK file's passage, decoded.
        driver.findElement(By.cssSelector("input[name=mode][value=search]")).click();
        driver.findElement(By.id("question")).sendKeys("龙井茶");
        driver.findElement(By.id("send")).click();
        waiting().until(d -> d.findElements(By.cssSelector(".message.assistant[data-done=true]")).size() == 2);
        WebElement search = driver.findElements(By.cssSelector(".message.assistant")).get(1);
        WebElement hit = search.findElement(By.cssSelector(".citation"));
        assertTrue(hit.getText().contains("茶叶.txt") && hit.getText().contains("龙井茶"), hit.getText());
    }

    @Test
    @Order(2)
    void withTheClusterDownAnUploadFailsWithTheRetryableMessageInChineseAndEnglish() throws Exception {
        Path yellow = file("黄河.txt", "黄河是中国第二长河，被称为母亲河。".getBytes(StandardCharsets.UTF_8));
        Path pearl = file("pearl.txt", "珠江是中国南方最大的河流。".getBytes(StandardCharsets.UTF_8));
        List<JettySolrRunner> stopped = cluster.stopAllNodes();
        try {
            assertEquals("zh-CN", driver.findElement(By.tagName("html")).getAttribute("lang"));
            driver.findElement(By.id("file-input")).sendKeys(yellow.toString());
            WebElement zh = uploadRow("黄河.txt", "failed");
            assertTrue(zh.findElement(By.cssSelector(".message")).getText().contains(
                    "暂时无法访问索引，没有写入任何内容，请稍后重试"), zh.getText());
            assertTrue(zh.findElement(By.cssSelector(".retry")).isDisplayed(), "a retry is offered");

            driver.findElement(By.id("lang")).click(); // English: the server answers in it too (its cookie)
            assertEquals("en", driver.findElement(By.tagName("html")).getAttribute("lang"));
            driver.findElement(By.id("file-input")).sendKeys(pearl.toString());
            WebElement en = uploadRow("pearl.txt", "failed");
            String message = en.findElement(By.cssSelector(".message")).getText();
            assertTrue(message.contains("the Solr collection " + location.display()) && message.contains(
                    "nothing was committed, retry when it is reachable"), message);
            assertTrue(en.findElement(By.cssSelector(".retry")).isDisplayed(), "a retry is offered");
        } finally {
            cluster.startNodes(stopped);
        }
        cluster.awaitActive("e2e-browser");
        try (SolrChunkStore solr = SolrChunkStore.open(location, true)) {
            assertTrue(solr.documentByName("", "黄河.txt").isEmpty(), "nothing acknowledged, nothing written");
            assertTrue(solr.documentByName("", "pearl.txt").isEmpty(), "nothing acknowledged, nothing written");
        }
        assertTrue(driver.findElements(By.cssSelector(".upload-item[data-stage=done]")).isEmpty());

        // The retry the message asks for, once Solr is back: the file is ingested and committed.
        driver.findElement(By.cssSelector(".upload-item[data-name='pearl.txt'] .retry")).click();
        uploadRow("pearl.txt", "done");
        try (SolrChunkStore solr = SolrChunkStore.open(location, true)) {
            assertTrue(solr.documentByName("", "pearl.txt").isPresent(), "committed after the retry");
        }
    }

    static final class ScreenshotOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            HeadlessChromium.screenshot(driver, "solr-" + context.getRequiredTestMethod().getName());
        }
    }
}
