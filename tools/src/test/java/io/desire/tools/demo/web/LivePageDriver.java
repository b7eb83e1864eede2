package io.desire.tools.demo.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code bin/desire test} installs when missing), driven as a person would use it: pick a user,
 * press an item's button, wait for the list to change, press "forget me".
 */
final class LivePageDriver implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final WebDriver driver;
    private final String url;

    /** Opens {@code url} in a new headless browser; fails with what to install when Chromium is missing. */
    LivePageDriver(String url) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser test needs Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "); `bin/desire test` installs them when missing, or run"
                    + " apt-get update && apt-get install -y chromium chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        this.url = url;
        driver.get(url);
    }

    WebDriver browser() {
        return driver;
    }

    /** Types the user id and presses Show. */
    void pickUser(String user) {
        WebElement input = driver.findElement(By.id("user-input"));
        input.clear();
        input.sendKeys(user);
        driver.findElement(By.id("user-pick")).click();
    }

    /** Waits until {@code condition} holds, polling every 100 ms. */
    <T> T await(Duration within, java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, within, Duration.ofMillis(100)).until(condition::apply);
    }

    /**
     * Reads the page again when the list was redrawn while it was being read (the page redraws it
     * whenever the document it shows changes).
     */
    private static <T> T fresh(java.util.function.Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** The items of the list shown, in rank order. */
    List<String> items() {
        return fresh(() -> driver.findElements(By.cssSelector("#recs li.rec")).stream()
                .map(e -> e.getDomAttribute("data-item"))
                .collect(Collectors.toList()));
    }

    /** Every item's text (item, score, category, reason labels), as shown. */
    List<String> rows() {
        return fresh(() -> driver.findElements(By.cssSelector("#recs li.rec")).stream()
                .map(WebElement::getText)
                .collect(Collectors.toList()));
    }

    /** The text of one item of the list (item, score, category, reason labels). */
    String row(String item) {
        return fresh(() -> driver.findElement(By.cssSelector("#recs li[data-item='" + item + "']"))
                .getText());
    }

    /**
     * Presses {@code type} on {@code item} and waits until the page shows the list that reflects the
     * event; returns the click-to-list time the page measured.
     */
    long act(String item, String type, Duration within) {
        WebElement latency = driver.findElement(By.id("latency"));
        String before = latency.getDomAttribute("data-ms");
        ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("document.getElementById('latency').removeAttribute('data-ms')");
        fresh(() -> {
            driver.findElement(
                            By.cssSelector("#recs li[data-item='" + item + "'] button.act[data-type='" + type + "']"))
                    .click();
            return Boolean.TRUE;
        });
        String ms = await(within, d -> d.findElement(By.id("latency")).getDomAttribute("data-ms"));
        return Long.parseLong(ms == null ? before : ms);
    }

    /** Presses "forget me" and waits until the page says the user's documents are gone. */
    void forget(Duration within) {
        driver.findElement(By.id("forget")).click();
        await(within, d -> "true".equals(d.findElement(By.id("forget-status")).getDomAttribute("data-done")));
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** Saves a PNG of the page, scrolled to its top. */
    void screenshot(Path file) throws IOException {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
