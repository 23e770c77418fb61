package dev.switchboard.proxy.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real browser for the console's tests: Debian's {@code chromium}, driven headless through
 * {@code chromium-driver} by Selenium. Both are installed with apt-get when missing (the project
 * installs what its tests need); Selenium's own driver download is never used.
 */
public final class Browser {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  private Browser() {}

  /** A headless Chromium of {@code width} x {@code height} CSS pixels, with its console log kept. */
  public static ChromeDriver start(int width, int height) throws IOException, InterruptedException {
    install();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
        "--window-size=" + width + "," + height, "--disable-background-networking", "--disable-component-update");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  static synchronized void install() throws IOException, InterruptedException {
    if (Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(DRIVER))) {
      return;
    }
    for (List<String> step : List.of(List.of("apt-get", "update", "-qq"),
        List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver"))) {
      ProcessBuilder pb = new ProcessBuilder(step).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("could not install chromium (" + String.join(" ", step) + "):\n" + out);
      }
    }
  }
}
