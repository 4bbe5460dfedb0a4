import { defineConfig } from "@playwright/test";

// Runs against the real shop started by bin/test (CV_CONSOLE_URL); the browser is the
// system Chromium (Playwright's own download does not work offline).
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/artifacts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [["list"]],
  use: {
    baseURL: process.env.CV_CONSOLE_URL ?? "http://127.0.0.1:8130",
    locale: "en-GB",
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking"],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
});
