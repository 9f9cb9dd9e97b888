package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import io.yinghuo.web.generation.ModelService;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser UI in a real headless Chromium (Debian's chromium and chromium-driver, which {@code .ci/run}
 * installs): upload two files, watch them become ready, ask, see the streamed answer and its citations, open a
 * citation in context, delete a document. Skipped, saying why, where no Chromium is installed. A failing test leaves
 * a screenshot in {@code target/browser-screenshots/}.
 */
@ExtendWith(BrowserTest.ScreenshotOnFailure.class)
class BrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static WebServer server;
    static WebDriver driver;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: no " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium"
                        + " chromium-driver)");
        // Never let Selenium Manager look for (or download) a driver: the Debian ones are given explicitly.
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        server = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("data")),
                TinyModel.load(dir)).start();
        base = "http://127.0.0.1:" + server.port();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=zh-CN",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void open(TestInfo info) {
        driver.get(base + "/");
        // Each test starts without the conversations an earlier test left in this origin's local storage.
        ((JavascriptExecutor) driver).executeScript("localStorage.removeItem('yinghuo.conversations')");
        driver.navigate().refresh();
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    @Test
    void uploadAskCiteOpenAndDelete() throws Exception {
        Path rivers = dir.resolve("rivers.txt");
        Files.writeString(rivers, DocumentApiTest.RIVERS, StandardCharsets.UTF_8);
        Path tea = dir.resolve("茶叶.md");
        Files.writeString(tea, DocumentApiTest.TEA, StandardCharsets.UTF_8);

        driver.findElement(By.id("file-input")).sendKeys(rivers + "\n" + tea);
        waiting().until(d -> d.findElements(By.cssSelector(".upload-item[data-stage=done]")).size() == 2);
        waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 2);
        List<WebElement> names = driver.findElements(By.cssSelector("#doc-list .doc-name"));
        assertEquals(List.of("rivers.txt", "茶叶.md"), names.stream().map(WebElement::getText).toList());
        assertTrue(driver.findElement(By.id("no-model-banner")).getAttribute("hidden") != null,
                "a model is loaded: no banner");

        // Ask: the answer streams into the page, then the sources appear under it.
        driver.findElement(By.cssSelector("details.settings summary")).click();
        driver.findElement(By.id("set-max-tokens")).sendKeys("6");
        driver.findElement(By.id("question")).sendKeys("长江有多长？");
        driver.findElement(By.id("send")).click();
        WebElement answer = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".message.assistant[data-done=true]")));
        assertFalse(answer.findElement(By.cssSelector(".text")).getText().isBlank());
        List<WebElement> citations = answer.findElements(By.cssSelector(".citation"));
        assertFalse(citations.isEmpty(), "sources are listed under the answer");
        WebElement first = citations.get(0);
        assertTrue(first.getText().contains("rivers.txt"), first.getText());
        assertFalse(first.findElements(By.cssSelector(".snippet mark")).isEmpty(), "matches are highlighted");
        // The synthesized model cites nothing ([n]): the passages are what retrieval found, not the answer's sources.
        String title = answer.findElement(By.cssSelector(".sources-title")).getText();
        assertTrue(List.of("检索到的段落", "Retrieved passages").contains(title), title);

        // Open the citation: the passage is shown in its document, highlighted.
        first.click();
        WebElement cited = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#passage-text mark.cited")));
        assertTrue(cited.getText().contains("长江"), cited.getText());
        driver.findElement(By.id("passage-close")).click();

        // Search only mode lists passages without generating.
        driver.findElement(By.cssSelector("input[name=mode][value=search]")).click();
        driver.findElement(By.id("question")).sendKeys("龙井茶");
        driver.findElement(By.id("send")).click();
        waiting().until(d -> d.findElements(By.cssSelector(".message.assistant[data-done=true]")).size() == 2);
        WebElement search = driver.findElements(By.cssSelector(".message.assistant")).get(1);
        assertTrue(search.findElement(By.cssSelector(".citation")).getText().contains("茶叶.md"));
        assertTrue(List.of("检索到的段落", "Retrieved passages").contains(
                search.findElement(By.cssSelector(".sources-title")).getText()));

        // The conversation survives a reload, can be exported as Markdown with its citations, and a new one can
        // be started and the old one chosen again.
        driver.navigate().refresh();
        waiting().until(d -> d.findElements(By.cssSelector(".message.assistant[data-done=true]")).size() == 2);
        assertEquals(List.of("长江有多长？", "龙井茶"), driver.findElements(By.cssSelector(".message.user .text"))
                .stream().map(WebElement::getText).toList());
        driver.findElement(By.id("export-chat")).click();
        String href = driver.findElement(By.id("export-link")).getAttribute("href");
        String markdown = java.net.URLDecoder.decode(href.substring(href.indexOf(',') + 1), StandardCharsets.UTF_8);
        assertTrue(markdown.contains("长江有多长？") && markdown.contains("rivers.txt")
                && markdown.contains("茶叶.md"), markdown);
        driver.findElement(By.id("new-chat")).click();
        assertTrue(driver.findElements(By.cssSelector(".message")).isEmpty());
        org.openqa.selenium.support.ui.Select past = new org.openqa.selenium.support.ui.Select(
                driver.findElement(By.id("conversations")));
        assertEquals(2, past.getOptions().size(), "the heading and one past conversation");
        past.selectByIndex(1);
        waiting().until(d -> d.findElements(By.cssSelector(".message.user")).size() == 2);

        // Delete a document after confirming in the page's own dialog (no window.confirm): Escape says no.
        driver.findElement(By.cssSelector("#doc-list tr.doc-row button.delete")).click();
        WebElement dialog = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertEquals("alertdialog", dialog.getAttribute("role"));
        assertTrue(driver.findElement(By.id("confirm-text")).getText().contains("rivers.txt"));
        assertEquals("confirm-cancel", driver.switchTo().activeElement().getAttribute("id"), "focus on Cancel");
        driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ESCAPE);
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
        assertEquals(2, driver.findElements(By.cssSelector("#doc-list tr.doc-row")).size(), "Escape deletes nothing");
        driver.findElement(By.cssSelector("#doc-list tr.doc-row button.delete")).click();
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
        waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 1);
        assertEquals("茶叶.md", driver.findElement(By.cssSelector("#doc-list .doc-name")).getText());
        assertEquals(1, server.index().documents().size());
    }

    @Test
    void modelTextAndFileNamesAreShownAsTextNeverRunAsHtml() throws Exception {
        Path evil = dir.resolve("<img src=x onerror=alert(1)>.txt");
        Files.writeString(evil, "<script>window.pwned=1</script> 注入测试：这段文字含有 <b>标签</b>。",
                StandardCharsets.UTF_8);
        driver.findElement(By.id("file-input")).sendKeys(evil.toString());
        waiting().until(d -> d.findElements(By.cssSelector(".upload-item[data-stage=done]")).size() >= 1);
        driver.findElement(By.cssSelector("input[name=mode][value=search]")).click();
        driver.findElement(By.id("question")).sendKeys("注入测试");
        driver.findElement(By.id("send")).click();
        WebElement answer = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".message.assistant[data-done=true]")));
        assertTrue(answer.getText().contains("<script>window.pwned=1</script>"), answer.getText());
        assertTrue(driver.findElements(By.cssSelector(".messages script, .messages img, .messages b")).isEmpty());
        Object pwned = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return window.pwned");
        assertEquals(null, pwned);
        assertTrue(driver.findElement(By.cssSelector("#doc-list")).getText().contains("<img src=x"),
                "the file name is listed as text");
    }

    /**
     * The background 语义索引 on a phone-sized window (390 px): a server with a test embedding model held back by a
     * gate shows the progress line and marks the new document "仅关键词"; once the gate opens, the line says
     * "语义索引完成" and the mark goes, without a reload. Nothing sticks out of the window.
     */
    @Test
    void semanticIndexProgressAndKeywordOnlyMarksAtPhoneWidth() throws Exception {
        TestEmbeddings.Gate gate = new TestEmbeddings.Gate();
        Dimension before = driver.manage().window().getSize();
        WebServer hybrid = WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("hybrid-data")), ModelService.none(4), TestEmbeddings.gated(gate)).start();
        try {
            driver.manage().window().setSize(new Dimension(390, 844));
            driver.get("http://127.0.0.1:" + hybrid.port() + "/");
            ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', 'zh')");
            driver.navigate().refresh();
            Path rivers = dir.resolve("长江黄河.txt");
            Files.writeString(rivers, DocumentApiTest.RIVERS, StandardCharsets.UTF_8);
            driver.findElement(By.id("file-input")).sendKeys(rivers.toString());
            waiting().until(d -> d.findElements(By.cssSelector(".upload-item[data-stage=done]")).size() == 1);
            WebElement badge = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#doc-list tr.doc-row .badge.lexical-only")));
            assertEquals("仅关键词", badge.getText());
            WebElement status = driver.findElement(By.id("vector-status"));
            waiting().until(d -> status.isDisplayed() && status.getText().startsWith("语义索引 0/"));
            assertTrue(status.getText().contains("正在加载语义模型"), status.getText());
            assertFitsTheWindow(status);
            assertFitsTheWindow(badge);
            assertFitsTheWindow(driver.findElement(By.id("upload-list")));

            gate.open();
            waiting().until(d -> "语义索引完成".equals(status.getText()));
            assertEquals("true", status.getAttribute("data-complete"));
            waiting().until(d -> d.findElements(By.cssSelector("#doc-list .badge.lexical-only")).isEmpty());
            assertEquals("长江黄河.txt", driver.findElement(By.cssSelector("#doc-list .doc-name")).getText());
            String date = driver.findElement(By.cssSelector("#doc-list .doc-date")).getText();
            assertTrue(date.matches("\\d{4}年\\d{1,2}月\\d{1,2}日.*"), "a Chinese date on a Chinese page: " + date);
            Object overflow = ((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0L, ((Number) overflow).longValue(), "no horizontal scrolling at 390 px");

            // No model: the answer is the passages themselves, shown once (in the list) with one note, and the
            // progress line is gone when it is done.
            driver.findElement(By.id("question")).sendKeys("长江有多长？");
            driver.findElement(By.id("send")).click();
            WebElement answer = waiting().until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(".message.assistant[data-done=true]")));
            assertEquals("（原文摘录，未经模型生成）", answer.findElement(By.cssSelector(".text")).getText());
            assertEquals("", answer.findElement(By.cssSelector(".status")).getText());
            String all = answer.getText();
            assertEquals(all.indexOf("六千三百公里"), all.lastIndexOf("六千三百公里"), "the passage once: " + all);
            assertTrue(all.contains("六千三百公里"), all);
        } finally {
            gate.open(); // before closing: the backfill must not be interrupted while the gate holds it
            hybrid.close();
            driver.manage().window().setSize(before);
        }
    }

    private static void assertFitsTheWindow(WebElement element) {
        Object fits = ((JavascriptExecutor) driver).executeScript("const r = arguments[0].getBoundingClientRect();"
                + " return r.left >= 0 && r.right <= document.documentElement.clientWidth + 0.5;", element);
        assertEquals(Boolean.TRUE, fits, element.getTagName() + " " + element.getText() + " fits in 390 px");
    }

    /** Saves a screenshot of the page when a test fails. */
    static final class ScreenshotOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (driver instanceof TakesScreenshot camera) {
                try {
                    Path folder = Files.createDirectories(Path.of("target", "browser-screenshots"));
                    File shot = camera.getScreenshotAs(OutputType.FILE);
                    Files.copy(shot.toPath(), folder.resolve(context.getRequiredTestMethod().getName() + ".png"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (Exception e) {
                    System.err.println("could not save a screenshot: " + e.getMessage());
                }
            }
        }
    }
}
