package io.yinghuo.retrieval.solr.cluster;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Debian's chromium, headless, through its chromedriver: the set-up of the web app's {@code BrowserTest} (same
 * binaries, same switches, Selenium Manager kept offline), for the browser checks of the Solr-backed app. Skips the
 * calling test class, saying why, where the two are not installed.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** A new headless browser with its profile under {@code dir}, in Chinese (the UI's default language). */
    static WebDriver start(Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: no " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium"
                        + " chromium-driver)");
        // Never let Selenium Manager look for (or download) a driver: the Debian ones are given explicitly.
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=zh-CN",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Saves what the page showed into {@code target/browser-screenshots/NAME.png} (for a failed test). */
    static void screenshot(WebDriver driver, String name) {
        if (driver instanceof TakesScreenshot camera) {
            try {
                Path folder = Files.createDirectories(Path.of("target", "browser-screenshots"));
                File shot = camera.getScreenshotAs(OutputType.FILE);
                Files.copy(shot.toPath(), folder.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            } catch (Exception e) {
                System.err.println("could not save a screenshot: " + e.getMessage());
            }
        }
    }
}
