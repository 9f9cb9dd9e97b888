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
import org.openqa.selenium.StaleElementReferenceException;
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
        ((JavascriptExecutor) driver).executeScript("localStorage.removeItem('yinghuo.conversations');"
                + " localStorage.removeItem('yinghuo.collection')");
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
            // progress line is gone when it is done. At this width the conversation is behind the 问答 tab.
            driver.findElement(By.id("tab-chat")).click();
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

    /**
     * At a phone (390 px), a tablet (768 px) and a desktop (1400 px) width, in Chinese and English: nothing scrolls
     * sideways, no text is wrapped one character per line, and the drop zone, the document table, the question box
     * and the send button are on screen (below 1000 px through the 文档 / 问答 tabs, which follow the WAI-ARIA tabs
     * pattern). Leaves {@code target/browser-screenshots/layout-<width>.png} (and {@code -chat}, {@code -en}).
     */
    @Test
    void layoutAtPhoneTabletAndDesktopWidths() throws Exception {
        Dimension before = driver.manage().window().getSize();
        WebServer other = serverWithOneDocument("layout-data");
        try {
            for (int width : new int[] {390, 768, 1400}) {
                driver.manage().window().setSize(new Dimension(width, 900));
                for (String lang : List.of("zh", "en")) {
                    ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', arguments[0])",
                            lang);
                    driver.navigate().refresh();
                    waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 1);
                    String suffix = lang.equals("zh") ? "" : "-en";
                    String where = width + " px, " + lang;
                    WebElement tabs = driver.findElement(By.cssSelector("[role=tablist]"));
                    if (width < 1000) {
                        assertTrue(tabs.isDisplayed(), "tabs below 1000 px: " + where);
                        WebElement docsTab = driver.findElement(By.id("tab-docs"));
                        WebElement chatTab = driver.findElement(By.id("tab-chat"));
                        assertEquals("true", docsTab.getAttribute("aria-selected"));
                        assertDisplayed(true, where, "dropzone", "doc-table", "panel-docs");
                        assertDisplayed(false, where, "question", "send", "panel-chat");
                        assertLayoutHolds(where + ", documents");
                        screenshot("layout-" + width + suffix);

                        chatTab.click();
                        assertEquals("true", chatTab.getAttribute("aria-selected"));
                        assertEquals("false", docsTab.getAttribute("aria-selected"));
                        assertDisplayed(true, where, "question", "send", "panel-chat");
                        assertDisplayed(false, where, "dropzone", "doc-table", "panel-docs");
                        assertLayoutHolds(where + ", conversation");
                        screenshot("layout-" + width + "-chat" + suffix);

                        // Arrow keys move between the tabs and show their panel; only the selected tab is a tab stop.
                        chatTab.sendKeys(org.openqa.selenium.Keys.ARROW_LEFT);
                        assertEquals("tab-docs", driver.switchTo().activeElement().getAttribute("id"));
                        assertEquals("true", docsTab.getAttribute("aria-selected"));
                        assertEquals("0", docsTab.getAttribute("tabindex"));
                        assertEquals("-1", chatTab.getAttribute("tabindex"));
                        assertDisplayed(true, where, "dropzone", "doc-table");
                        docsTab.sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
                        assertEquals("tab-chat", driver.switchTo().activeElement().getAttribute("id"));
                        assertDisplayed(true, where, "question", "send");
                        chatTab.sendKeys(org.openqa.selenium.Keys.HOME);
                        assertDisplayed(true, where, "dropzone");
                    } else {
                        assertFalse(tabs.isDisplayed(), "no tabs on a wide window: " + where);
                        assertDisplayed(true, where, "dropzone", "doc-table", "question", "send");
                        assertLayoutHolds(where);
                        screenshot("layout-" + width + suffix);
                    }
                }
            }
        } finally {
            ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', 'zh')");
            driver.manage().window().setSize(before);
            other.close();
        }
    }

    /**
     * Every visible button, input, select, text area and link has an accessible name (in both languages, with the
     * settings open and a document listed), the mode radios and the tabs are labelled groups, and Tab from the
     * question box reaches the send button, with a visible focus outline.
     */
    @Test
    void everyControlHasAnAccessibleNameAndTabReachesSend() throws Exception {
        WebServer other = serverWithOneDocument("a11y-data");
        try {
            for (String lang : List.of("zh", "en")) {
                ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', arguments[0])",
                        lang);
                driver.navigate().refresh();
                waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 1);
                driver.findElement(By.cssSelector("details.settings summary")).click();
                @SuppressWarnings("unchecked")
                List<String> nameless = (List<String>) ((JavascriptExecutor) driver).executeScript(
                        "const visible = (e) => e.getClientRects().length > 0"
                        + "  && getComputedStyle(e).visibility !== 'hidden';"
                        + "const name = (e) => {"
                        + "  const a = (e.getAttribute('aria-label') || '').trim(); if (a) return a;"
                        + "  const by = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)"
                        + "    .map((id) => { const x = document.getElementById(id); return x ? x.textContent : ''; })"
                        + "    .join(' ').trim(); if (by) return by;"
                        + "  if (e.labels) { const l = [...e.labels].map((x) => x.textContent).join(' ').trim();"
                        + "    if (l) return l; }"
                        + "  if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName)) {"
                        + "    const c = e.textContent.trim(); if (c) return c; }"
                        + "  return ((e.title || '') + (e.placeholder || '')).trim(); };"
                        + "return [...document.querySelectorAll('button, input, select, textarea, a, summary,"
                        + " [role=button], [role=tab], [role=radiogroup], [role=tablist], [role=dialog]')]"
                        + "  .filter(visible).filter((e) => !name(e)).map((e) => e.outerHTML.slice(0, 160));");
                assertEquals(List.of(), nameless, "controls without an accessible name (" + lang + ")");
                WebElement group = driver.findElement(By.cssSelector("[role=radiogroup]"));
                assertFalse(group.getAttribute("aria-label").isBlank());
                assertEquals(3, group.findElements(By.cssSelector("input[type=radio]")).size());
                WebElement delete = driver.findElement(By.cssSelector("#doc-list button.delete"));
                assertTrue(delete.getAttribute("aria-label").contains("长江与黄河的流域概况.txt"),
                        delete.getAttribute("aria-label"));
                for (WebElement tab : driver.findElements(By.cssSelector("[role=tab]"))) {
                    assertFalse(driver.findElements(By.id(tab.getAttribute("aria-controls"))).isEmpty());
                    assertEquals("tabpanel", driver.findElement(By.id(tab.getAttribute("aria-controls")))
                            .getAttribute("role"));
                }

                WebElement question = driver.findElement(By.id("question"));
                question.click();
                question.sendKeys(org.openqa.selenium.Keys.TAB);
                WebElement focused = driver.switchTo().activeElement();
                assertEquals("send", focused.getAttribute("id"), "Tab from the question box reaches 发送");
                Object outline = ((JavascriptExecutor) driver).executeScript(
                        "const s = getComputedStyle(arguments[0]); return s.outlineStyle + ' ' + s.outlineWidth;",
                        focused);
                assertFalse(String.valueOf(outline).startsWith("none") || String.valueOf(outline).endsWith(" 0px"),
                        "a visible focus outline: " + outline);
            }
        } finally {
            ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', 'zh')");
            other.close();
        }
    }

    /**
     * A library of 130 documents: the first 100 are listed with a button for the rest, the name filter and the sort
     * work on all of them (not only on the page shown), and the count says how many match.
     */
    @Test
    void largeLibraryIsPagedFilteredAndSorted() throws Exception {
        DataFolder data = DataFolder.at(dir.resolve("library-data"));
        io.yinghuo.ingest.pipeline.IngestOptions options = io.yinghuo.ingest.pipeline.IngestOptions.defaults();
        try (io.yinghuo.retrieval.index.ChunkIndex index = io.yinghuo.retrieval.index.ChunkIndex.open(data.index(),
                options.profile());
             io.yinghuo.ingest.pipeline.IngestPipeline pipeline = io.yinghuo.ingest.pipeline.IngestPipeline.open(data,
                     index, options)) {
            for (int i = 0; i < 130; i++) {
                String name = String.format("报告%03d.txt", i);
                pipeline.submit(io.yinghuo.ingest.pipeline.IngestSource.of(name,
                        ("第" + i + "号报告。" + "内容".repeat(i + 1)).getBytes(StandardCharsets.UTF_8)));
            }
            pipeline.awaitIdle();
        }
        WebServer other = WebServer.create(ServerOptions.defaults().withPort(0), data, ModelService.none(4)).start();
        try {
            driver.get("http://127.0.0.1:" + other.port() + "/");
            waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 100);
            WebElement more = driver.findElement(By.id("doc-more"));
            assertTrue(more.isDisplayed() && more.getText().contains("30"), more.getText());
            more.click();
            waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 130);
            assertFalse(more.isDisplayed());

            new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("doc-sort"))).selectByValue("size-desc");
            assertEquals("报告129.txt", driver.findElement(By.cssSelector("#doc-list .doc-name")).getText()
                    .split("\n")[0], "the largest first, found past the first page");
            new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("doc-sort"))).selectByValue("name");
            assertEquals("报告000.txt", driver.findElement(By.cssSelector("#doc-list .doc-name")).getText()
                    .split("\n")[0]);

            driver.findElement(By.id("doc-filter")).sendKeys("12");
            // 012, 112 and 120-129: twelve names contain "12"
            // read afresh until settled: the list is drawn again when the library refreshes
            List<String> names = waiting().ignoring(StaleElementReferenceException.class).until(d -> {
                List<String> shown = d.findElements(By.cssSelector("#doc-list .doc-name")).stream()
                        .map(e -> e.getText().split("\n")[0]).toList();
                return shown.size() == 12 ? shown : null;
            });
            assertTrue(names.stream().allMatch(n -> n.contains("12")), names.toString());
            assertTrue(driver.findElement(By.id("doc-count")).getText().contains("12"),
                    driver.findElement(By.id("doc-count")).getText());
        } finally {
            other.close();
        }
    }

    /**
     * Knowledge bases in the library panel: created in the page's dialog (a taken name is refused inside it),
     * chosen (the list, the uploads and the questions follow the choice, which survives a reload), renamed and
     * deleted with its documents.
     */
    @Test
    void knowledgeBasesAreCreatedChosenRenamedAndDeleted() throws Exception {
        WebServer other = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve("kb-data")),
                ModelService.none(4)).start();
        Path files = Files.createDirectories(dir.resolve("kb-files"));
        Path canal = Files.writeString(files.resolve("大运河.txt"), "京杭大运河北起北京，南到杭州，是世界上最长的运河。",
                StandardCharsets.UTF_8);
        Path panama = Files.writeString(files.resolve("巴拿马.txt"), "巴拿马运河连接大西洋和太平洋。",
                StandardCharsets.UTF_8);
        org.openqa.selenium.support.ui.Select chooser;
        try {
            driver.get("http://127.0.0.1:" + other.port() + "/");
            ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', 'zh')");
            driver.navigate().refresh();
            waiting().until(d -> d.findElements(By.cssSelector("#collection option")).size() == 2);
            assertTrue(driver.findElement(By.id("kb-rename")).getAttribute("disabled") != null,
                    "all knowledge bases: nothing to rename");

            driver.findElement(By.id("kb-new")).click();
            WebElement dialog = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
            assertEquals("dialog", dialog.getAttribute("role"));
            assertEquals("confirm-input", driver.switchTo().activeElement().getAttribute("id"), "focus on the name");
            driver.switchTo().activeElement().sendKeys("水利" + org.openqa.selenium.Keys.ENTER);
            waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
            chooser = new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("collection")));
            waiting().until(d -> "c:水利".equals(d.findElement(By.id("collection")).getAttribute("value")));
            assertTrue(driver.findElement(By.id("upload-target")).getText().contains("水利"));

            driver.findElement(By.id("file-input")).sendKeys(canal.toString());
            waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 1);
            chooser.selectByValue("c:");
            assertTrue(driver.findElements(By.cssSelector("#doc-list tr.doc-row")).isEmpty(), "the default is empty");
            driver.findElement(By.id("file-input")).sendKeys(panama.toString());
            waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 1);
            assertEquals("巴拿马.txt", driver.findElement(By.cssSelector("#doc-list .doc-name")).getText());
            chooser.selectByValue("*");
            waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 2);
            assertTrue(driver.findElement(By.cssSelector("#doc-list .badge.collection")).getText().contains("水利"));

            // A question asked with 水利 chosen searches only 水利.
            chooser.selectByValue("c:水利");
            assertTrue(driver.findElement(By.id("scope")).getText().contains("水利"));
            driver.findElement(By.cssSelector("input[name=mode][value=search]")).click();
            driver.findElement(By.id("question")).sendKeys("运河");
            driver.findElement(By.id("send")).click();
            WebElement answer = waiting().until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector(".message.assistant[data-done=true]")));
            List<String> cited = answer.findElements(By.cssSelector(".citation")).stream()
                    .map(WebElement::getText).toList();
            assertFalse(cited.isEmpty());
            assertTrue(cited.stream().allMatch(c -> c.contains("大运河.txt")), cited.toString());

            // A taken name is refused inside the dialog, which stays open for a correction.
            driver.findElement(By.id("kb-new")).click();
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-input")))
                    .sendKeys("水利" + org.openqa.selenium.Keys.ENTER);
            WebElement error = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-error")));
            assertTrue(error.getText().contains("已经有名为“水利”的知识库"), error.getText());
            driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ESCAPE);
            waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));

            driver.findElement(By.id("kb-rename")).click();
            WebElement name = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-input")));
            assertEquals("水利", name.getAttribute("value"));
            name.clear();
            name.sendKeys("水利工程" + org.openqa.selenium.Keys.ENTER);
            waiting().until(d -> "c:水利工程".equals(d.findElement(By.id("collection")).getAttribute("value")));
            driver.navigate().refresh();
            waiting().until(d -> "c:水利工程".equals(d.findElement(By.id("collection")).getAttribute("value")));
            waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 1);
            assertEquals("大运河.txt", driver.findElement(By.cssSelector("#doc-list .doc-name")).getText());

            driver.findElement(By.id("kb-delete")).click();
            WebElement confirm = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
            assertEquals("alertdialog", confirm.getAttribute("role"));
            assertTrue(driver.findElement(By.id("confirm-text")).getText().contains("1 篇"));
            driver.findElement(By.id("confirm-ok")).click();
            waiting().until(d -> "*".equals(d.findElement(By.id("collection")).getAttribute("value")));
            waiting().until(d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 1);
            assertEquals("巴拿马.txt", driver.findElement(By.cssSelector("#doc-list .doc-name")).getText());
            assertEquals(1, other.index().documents().size());
            assertEquals(List.of(""), other.index().collections().stream().map(c -> c.name()).toList());
        } finally {
            other.close();
        }
    }

    /** A server of its own (the other tests count the main one's documents) with one document, opened. */
    private static WebServer serverWithOneDocument(String folder) throws Exception {
        WebServer other = WebServer.create(ServerOptions.defaults().withPort(0), DataFolder.at(dir.resolve(folder)),
                ModelService.none(4)).start();
        driver.get("http://127.0.0.1:" + other.port() + "/");
        Path file = Files.createDirectories(dir.resolve(folder + "-files")).resolve("长江与黄河的流域概况.txt");
        Files.writeString(file, DocumentApiTest.RIVERS, StandardCharsets.UTF_8);
        driver.findElement(By.id("file-input")).sendKeys(file.toString());
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(
                d -> d.findElements(By.cssSelector("#doc-list tr.doc-row")).size() == 1);
        return other;
    }

    private static void assertDisplayed(boolean shown, String where, String... ids) {
        for (String id : ids) {
            WebElement element = id.equals("doc-table") ? driver.findElement(By.cssSelector(".doc-table"))
                    : driver.findElement(By.id(id));
            assertEquals(shown, element.isDisplayed(), id + (shown ? " is shown" : " is hidden") + " at " + where);
        }
    }

    /**
     * No sideways scrolling, and no text wrapped one character per line: no text of two or more characters laid out
     * on several lines all narrower than 2 em, and no header, button, tab or label 3 lines tall.
     */
    private static void assertLayoutHolds(String where) {
        Object overflow = ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertTrue(((Number) overflow).longValue() <= 0, "no horizontal overflow at " + where + ": " + overflow);
        @SuppressWarnings("unchecked")
        List<String> squeezed = (List<String>) ((JavascriptExecutor) driver).executeScript(
                "const bad = [];"
                + "const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
                + "for (let n = walker.nextNode(); n; n = walker.nextNode()) {"
                + "  const text = n.textContent.trim(); const p = n.parentElement;"
                + "  if ([...text].length < 2 || !p || p.getClientRects().length === 0) continue;"
                + "  const range = document.createRange(); range.selectNodeContents(n);"
                + "  const lines = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);"
                + "  const em = parseFloat(getComputedStyle(p).fontSize);"
                + "  if (lines.length >= 2 && Math.max(...lines.map((r) => r.width)) < 2 * em)"
                + "    bad.push('text ' + text.slice(0, 40));"
                + "}"
                + "for (const e of document.querySelectorAll('th, button, label, [role=tab], h1, h2, summary, .scope')) {"
                + "  const text = e.textContent.trim(); if ([...text].length < 2) continue;"
                + "  const r = e.getBoundingClientRect(); if (r.width === 0 || r.height === 0) continue;"
                + "  const s = getComputedStyle(e); const em = parseFloat(s.fontSize);"
                + "  const line = s.lineHeight === 'normal' ? 1.25 * em : parseFloat(s.lineHeight);"
                + "  if (r.height >= 3 * line && r.width < 2 * em * Math.min(4, [...text].length))"
                + "    bad.push(e.tagName + ' ' + text.slice(0, 40) + ' ' + Math.round(r.width) + 'x'"
                + "      + Math.round(r.height));"
                + "}"
                + "return bad;");
        assertEquals(List.of(), squeezed, "text wrapped one character per line at " + where);
    }

    private static void screenshot(String name) throws Exception {
        Path folder = Files.createDirectories(Path.of("target", "browser-screenshots"));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), folder.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A file that can never be ingested (empty) fails without a Retry button, with the server's reason in the page's
     * language (the page tells the server its language with the yinghuo.lang cookie).
     */
    @Test
    void retryIsOfferedOnlyWhereARetryCanSucceed() throws Exception {
        ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', 'zh')");
        driver.navigate().refresh();
        Path empty = dir.resolve("空文件.txt");
        Files.writeString(empty, "   \n", StandardCharsets.UTF_8);
        driver.findElement(By.id("file-input")).sendKeys(empty.toString());
        WebElement failed = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".upload-item[data-stage=failed]")));
        assertFalse(failed.findElement(By.cssSelector(".retry")).isDisplayed(), "no retry for an empty file");
        String message = failed.findElement(By.cssSelector(".upload-item .message")).getText();
        assertFalse(message.isBlank());
        assertTrue(message.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                "the reason in Chinese on a Chinese page: " + message);
    }

    /**
     * A file read with a cut (here one invalid UTF-8 sequence replaced) finishes as added, marked, with the warning
     * in the page's language after the outcome, joined by that language's separator, and fits a phone's width.
     */
    @Test
    void anUploadReadWithWarningsSaysSoInThePagesLanguageAtPhoneWidth() throws Exception {
        Dimension before = driver.manage().window().getSize();
        String text = "萤火让你向自己的中文文档提问。".repeat(40);
        // a server of its own: the other tests count the main one's documents
        WebServer other = WebServer.create(ServerOptions.defaults().withPort(0),
                DataFolder.at(dir.resolve("warnings-data")), ModelService.none(4)).start();
        try {
            driver.manage().window().setSize(new Dimension(390, 844));
            for (String lang : List.of("zh", "en")) {
                driver.get("http://127.0.0.1:" + other.port() + "/");
                ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', arguments[0])",
                        lang);
                driver.navigate().refresh();
                Path file = dir.resolve("坏字节-" + lang + ".txt");
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                bytes.writeBytes((lang + text).getBytes(StandardCharsets.UTF_8));
                bytes.writeBytes(new byte[] {(byte) 0xC3, 0x28}); // a lead byte without its continuation
                bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
                Files.write(file, bytes.toByteArray());
                driver.findElement(By.id("file-input")).sendKeys(file.toString());
                WebElement item = waiting().until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector(".upload-item.warned[data-name='" + file.getFileName() + "']")));
                String message = item.findElement(By.cssSelector(".message")).getText();
                if (lang.equals("zh")) {
                    assertEquals("已添加；有 1 处字节不是有效的 UTF-8 编码，已替换为 \uFFFD", message);
                } else {
                    assertEquals("added; 1 byte sequence(s) were not valid UTF-8 and were replaced by \uFFFD", message);
                }
                assertEquals("done", item.getAttribute("data-stage"));
                assertFitsTheWindow(item.findElement(By.cssSelector(".message")));
                assertLayoutHolds("390 px, upload warning, " + lang);
                screenshot("upload-warning-390" + (lang.equals("zh") ? "" : "-en"));
            }
        } finally {
            other.close();
            driver.manage().window().setSize(before);
            ((JavascriptExecutor) driver).executeScript("localStorage.setItem('yinghuo.lang', 'zh')");
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
