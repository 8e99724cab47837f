/**
 * Playwright end-to-end tests against the compiled executable (see fixtures.ts), in Debian's Chromium.
 * Run on Node: `node node_modules/@playwright/test/cli.js test -c test/e2e/playwright.config.ts`
 * (`bun run test:e2e`). One worker: the CI machine has two cores and each test starts its own Sage.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.ts";

const resultsDir = fileURLToPath(new URL("../../test-results/e2e", import.meta.url));

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.ts$/,
  outputDir: resultsDir,
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
