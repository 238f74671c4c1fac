package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.ChildProcess;
import dev.configstore.ConfigStore;
import dev.configstore.profile.ProfileDefinition;
import java.io.BufferedReader;
import java.io.File;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (headless Chromium driven by Selenium through the system's
 * chromedriver), served by the real command in its own JVM, on an H2 store that an application
 * (this JVM) and CLI processes use at the same time. The steps run in order on one page; each
 * saves a screenshot under {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    Path temp;

    Path storeDirectory;
    ConfigStore application;
    Process console;
    String url;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void startApplicationConsoleAndBrowser(@TempDir Path directory) throws Exception {
        temp = directory;
        File driver = new File(System.getenv().getOrDefault("CONFIGSTORE_CHROMEDRIVER", "/usr/bin/chromedriver"));
        File chromium = new File(System.getenv().getOrDefault("CONFIGSTORE_CHROMIUM", "/usr/bin/chromium"));
        Assumptions.assumeTrue(driver.canExecute() && chromium.canExecute(), "no Chromium at " + chromium + " or no"
                + " chromedriver at " + driver + ": install Debian's chromium and chromium-driver (.ci/run does), or"
                + " set CONFIGSTORE_CHROMIUM and CONFIGSTORE_CHROMEDRIVER");
        storeDirectory = temp.resolve("config");
        application = ConfigStore.builder().path(storeDirectory).actor("trainer").open();
        application.put("table.cloth", "green");
        application.put("table.speed", new BigDecimal("0.10"));
        application.put("balls.count", 16);
        application.put("label", "<script>window.xss = 1</script>");
        application.backups().create("current", "before-tuning", 0, "as delivered");
        application.put("table.cloth", "blue");
        application.put("table.cloth", "red");
        application.profiles().create(ProfileDefinition.named("tournament").extending("current"));
        application.put("tournament", "table.speed", new BigDecimal("3.5"));
        var large = application.batch();
        for (int i = 0; i < 10_000; i++) {
            large.set("large", "keys.k" + String.format("%05d", i), i);
        }
        large.commit();

        console = ChildProcess.startMain(Main.class.getName(), "--store", storeDirectory.toString(), "console");
        BufferedReader lines = ChildProcess.lines(console);
        String first = lines.readLine();
        assertThat(first).as("the console's first line").contains("http://127.0.0.1:").contains("/?token=");
        url = first.substring(first.indexOf("http://"));

        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,860", "--user-data-dir=" + temp.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // a live update redraws the rows
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.destroy(); // SIGTERM: the command closes the store and exits 0
            assertThat(console.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(console.exitValue()).isZero();
        }
        if (application != null) {
            application.close();
        }
    }

    private void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private WebElement row(String key) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-key='" + key + "']")));
    }

    private String valueOf(String key) {
        return row(key).findElement(By.cssSelector("td.value")).getText();
    }

    /** Clicks the first element found, again if a live update redrew it meanwhile. */
    private void click(By by) {
        wait.until(driver -> {
            driver.findElement(by).click();
            return true;
        });
    }

    private Object script(String code) {
        return ((JavascriptExecutor) browser).executeScript(code);
    }

    /** Runs the CLI in its own JVM against the store and returns what it printed. */
    private String cli(String... args) throws Exception {
        List<String> full = new java.util.ArrayList<>(List.of("--store", storeDirectory.toString()));
        full.addAll(List.of(args));
        Process process = ChildProcess.startMain(Main.class.getName(), full.toArray(String[]::new));
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
        return out.strip();
    }

    @Test
    @Order(1)
    void theTokenAddress_opensThePage_andAValueIsShownAsText() throws Exception {
        browser.get(url);

        wait.until(ExpectedConditions.urlToBe(url.substring(0, url.indexOf("?token=")))); // the token left the address
        assertThat(valueOf("table.cloth")).isEqualTo("\"red\"");
        assertThat(valueOf("table.speed")).isEqualTo("0.10"); // exact, not 0.1
        assertThat(valueOf("label")).isEqualTo("\"<script>window.xss = 1</script>\"");
        assertThat(row("label").findElement(By.cssSelector("td.value")).findElements(By.xpath("./*")))
                .as("a value is text, never elements").isEmpty();
        assertThat(script("return window.xss === undefined")).isEqualTo(true);
        assertThat(browser.manage().getCookies()).singleElement()
                .satisfies(cookie -> assertThat(cookie.isHttpOnly()).isTrue());
        screenshot("01-document");
    }

    @Test
    @Order(2)
    void aProfile_showsItsChain_andWhereEachValueComesFrom() throws Exception {
        click(By.linkText("tournament"));

        wait.until(ExpectedConditions.textToBe(By.id("chain"), "resolved through: tournament → current"));
        assertThat(valueOf("table.speed")).isEqualTo("3.5");
        assertThat(row("table.speed").findElements(By.tagName("td")).get(2).getText()).isEqualTo("tournament");
        assertThat(row("table.cloth").findElements(By.tagName("td")).get(2).getText()).isEqualTo("current");
        screenshot("02-profile");
    }

    @Test
    @Order(3)
    void aKeysHistory_isOneClickAway() throws Exception {
        browser.get(url.substring(0, url.indexOf("?token=")) + "#/documents");
        click(By.cssSelector("tr[data-key='table.cloth'] a.key-history"));

        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("main tbody tr"), 3));
        List<WebElement> rows = browser.findElements(By.cssSelector("main tbody tr"));
        assertThat(rows.get(0).getText()).contains("CHANGED").contains("\"blue\"").contains("\"red\"");
        assertThat(rows.get(2).getText()).contains("ADDED").contains("\"green\"");
        screenshot("03-key-history");
    }

    @Test
    @Order(4)
    void aDiff_showsOldAndNewSideBySide() throws Exception {
        click(By.cssSelector("a.diff-link"));

        // the diff view's own rows (the history's rows are marked CHANGED too)
        wait.until(ExpectedConditions.textToBe(By.cssSelector("details.diff-document tr.CHANGED td.old"), "\"blue\""));
        assertThat(browser.findElement(By.cssSelector("details.diff-document tr.CHANGED td.new")).getText())
                .isEqualTo("\"red\"");
        assertThat(browser.findElement(By.cssSelector("details.diff-document summary")).getText())
                .isEqualTo("current: 1 changed keys (+0 −0 ~1)");
        screenshot("04-diff");
    }

    @Test
    @Order(5)
    void theTimeline_showsTheKeysEachRevisionChanged() throws Exception {
        click(By.id("nav-history"));

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main tbody tr td.keys")));
        assertThat(browser.findElement(By.cssSelector("main tbody tr td.keys")).getText())
                .startsWith("large:keys.k00000, large:keys.k00001").endsWith("and 9980 more");
        WebElement fourth = browser.findElements(By.cssSelector("main tbody tr")).get(3);
        assertThat(fourth.getText()).startsWith("6 ").contains("current:table.cloth");
        screenshot("05-timeline");
    }

    @Test
    @Order(6)
    void aRestore_showsItsDryRunFirst_thenRestores() throws Exception {
        long before = application.refresh();
        click(By.id("nav-backups"));
        click(By.cssSelector("tr[data-name='before-tuning'] button.preview"));

        WebElement preview = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#restore-preview tr.CHANGED")));
        assertThat(preview.getText()).contains("table.cloth").contains("\"red\"").contains("\"green\"");
        screenshot("06-restore-dry-run");
        assertThat(application.refresh()).as("the dry run writes nothing").isEqualTo(before);
        click(By.id("confirm-restore"));

        wait.until(ExpectedConditions.textMatches(By.id("write-result"), java.util.regex.Pattern.compile("restored before-tuning: revision \\d+")));
        assertThat(application.refresh()).isGreaterThan(before);
        assertThat(application.find("table.cloth").orElseThrow().asText()).isEqualTo("green");
        screenshot("07-restored");
    }

    @Test
    @Order(7)
    void anEdit_isARevisionTheCliSees() throws Exception {
        click(By.id("nav-documents"));
        click(By.cssSelector("tr[data-key='table.speed'] button.edit"));
        WebElement input = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input.edit-value")));
        input.clear();
        input.sendKeys("0.25");
        screenshot("08-editing");
        click(By.cssSelector("button.save"));

        wait.until(ExpectedConditions.textMatches(By.id("write-result"), java.util.regex.Pattern.compile("set table.speed: revision \\d+")));
        assertThat(cli("get", "table.speed")).isEqualTo("0.25");
        assertThat(cli("history", "--limit", "1", "--format", "csv")).contains(",console,set,");
        screenshot("09-edited");
    }

    @Test
    @Order(8)
    void aChangeByTheCliOrTheApplication_appearsWithoutReload() throws Exception {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-key='table.cloth']")));
        script("window.notReloaded = true");

        cli("set", "table.cloth", "\"purple\"");
        wait.until(driver -> valueOf("table.cloth").equals("\"purple\""));
        assertThat(browser.findElement(By.id("live-text")).getText()).contains("table.cloth");
        application.put("balls.count", 15);
        wait.until(driver -> valueOf("balls.count").equals("15"));

        assertThat(script("return window.notReloaded")).isEqualTo(true);
        screenshot("10-live");
    }

    @Test
    @Order(9)
    void anEditOverAChangeItDidNotShow_isAConflictThatShowsTheChange() throws Exception {
        click(By.cssSelector("tr[data-key='balls.count'] button.edit"));
        WebElement input = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input.edit-value")));
        long before = application.put("balls.count", 14).revision(); // meanwhile, the application writes

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("live-show"))); // not redrawn under the edit
        input.clear();
        input.sendKeys("12");
        click(By.cssSelector("button.save"));

        WebElement conflict = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("conflict")));
        assertThat(conflict.getText()).contains("revision");
        WebElement changed = browser.findElement(By.cssSelector("#notice tr.CHANGED"));
        assertThat(changed.getText()).contains("balls.count").contains("15").contains("14");
        assertThat(application.refresh()).isEqualTo(before);
        assertThat(application.find("balls.count").orElseThrow().asInt()).isEqualTo(14);
        screenshot("11-conflict");
        browser.findElement(By.cssSelector("#notice button")).click(); // Reload
        wait.until(driver -> valueOf("balls.count").equals("14"));
    }

    @Test
    @Order(10)
    void aTenThousandKeyDocument_isShownAPageAtATime() throws Exception {
        click(By.linkText("large"));

        wait.until(ExpectedConditions.textToBe(By.id("key-count"), "keys 1–100 of 10000"));
        assertThat(browser.findElements(By.cssSelector("main tbody tr"))).hasSize(100);
        click(By.id("keys-next"));
        wait.until(ExpectedConditions.textToBe(By.id("key-count"), "keys 101–200 of 10000"));
        assertThat(valueOf("keys.k00100")).isEqualTo("100");
        screenshot("12-large-document");
    }

    @Test
    @Order(11)
    void health_showsFindingsAndCharts() throws Exception {
        click(By.id("nav-health"));

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("health-level")));
        for (String chart : List.of("revisions-per-day", "keys-over-time", "operation-durations")) {
            wait.until(driver -> Boolean.TRUE.equals(script("const image = document.getElementById('chart-" + chart
                    + "'); return image !== null && image.complete && image.naturalWidth > 0")));
        }
        screenshot("13-health");
        assertThat(cli("verify")).doesNotContain("MISMATCH"); // the store the three shared is intact
    }

    @Test
    @Order(12)
    void aMillionRevisionHistory_opensOnItsNewestPage() throws Exception {
        Path big = temp.resolve("big");
        try (ConfigStore store = ConfigStore.builder().path(big).open()) {
            store.put("table.cloth", "green");
            ConsoleApiTest.addRevisionRows(big, 2, 1_000_000);
            store.refresh();
            try (ConsoleServer server = new ConsoleServer(store, new ConsoleServer.Settings(InetAddress.getLoopbackAddress(),
                    0, true, false)).start()) {
                browser.get(server.url());
                browser.get(server.base() + "/#/history");
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("main tbody tr"), 50));
                assertThat(browser.findElements(By.cssSelector("main tbody tr")).get(0).getText()).startsWith("1000000 ");
                click(By.id("history-older"));
                wait.until(driver -> driver.findElements(By.cssSelector("main tbody tr")).get(0).getText()
                        .startsWith("999950 "));
                screenshot("14-million-revisions");
            }
        }
    }
}
