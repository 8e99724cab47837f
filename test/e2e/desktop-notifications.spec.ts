/**
 * Settings → General → Desktop notifications, end to end (compiled app in serve mode, Chromium, fake
 * model process). Without a session bus Settings says notifications cannot be shown and the switches
 * still persist; with a private bus and a fake notification service (test/fixtures/fake-desktop/cli.ts)
 * the status is "ready", a turn that ends while the page is not focused sends one notification, and
 * clicking it opens that chat in the page. Also "Start Sage when you log in": the XDG autostart entry
 * is written (valid for desktop-file-validate) and removed again.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./chat-fixtures.ts";
import { BUN } from "./fake-model-process.ts";
import { REPO_ROOT } from "./fixtures.ts";

const SCREENSHOTS = join(REPO_ROOT, "test-results", "e2e-screens");

test.describe("without a desktop session", () => {
  test.use({ sageEnv: { DBUS_SESSION_BUS_ADDRESS: "" } });

  test("Settings says so, and each kind's switch is kept", async ({ page, sage }) => {
    await page.goto(sage.launchUrl);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByTestId("settings-nav-general").click();
    const section = page.getByTestId("settings-notifications");
    await expect(section.getByTestId("notifications-status")).toHaveAttribute("data-status", "no-bus");
    await expect(section).toContainText("no desktop session");
    for (const id of [
      "setting-notify-turn-ended",
      "setting-notify-turn-failed",
      "setting-notify-needs-input",
    ])
      await expect(page.getByTestId(id)).toBeChecked();
    await page.getByTestId("setting-notify-turn-ended").uncheck();
    await page.getByTestId("setting-notify-needs-input").uncheck();
    await page.reload();
    await expect(page.getByTestId("setting-notify-turn-ended")).not.toBeChecked();
    await expect(page.getByTestId("setting-notify-turn-failed")).toBeChecked();
    await expect(page.getByTestId("setting-notify-needs-input")).not.toBeChecked();
    await section.screenshot({ path: join(SCREENSHOTS, "settings-notifications-no-bus.png") });
  });
});

test.describe("with a notification service", () => {
  const socket = join(tmpdir(), `sage-e2e-bus-${process.pid}`);
  let desktop: ChildProcess;
  let output = "";
  test.use({ sageEnv: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` } });

  test.beforeAll(async () => {
    rmSync(socket, { force: true });
    desktop = spawn(BUN, [join(REPO_ROOT, "test/fixtures/fake-desktop/cli.ts"), "--socket", socket], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    desktop.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    await expect.poll(() => output.includes("address "), { timeout: 10_000 }).toBe(true);
  });
  test.afterAll(() => {
    desktop?.kill("SIGTERM");
  });

  const notifications = () =>
    [...output.matchAll(/^notify (.+)$/gm)].map(
      (match) => JSON.parse(match[1] as string) as { id: number; body: string },
    );

  test("a turn ending while the page is unfocused notifies; the click opens its chat", async ({
    page,
    chat,
    model,
  }) => {
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByTestId("settings-nav-general").click();
    await expect(page.getByTestId("notifications-status")).toHaveAttribute("data-status", "ready");
    await page.getByTestId("settings-notifications").screenshot({
      path: join(SCREENSHOTS, "settings-notifications-ready.png"),
    });

    const sessionId = await chat.newChat();
    await model.enqueue({ text: "Focused reply." });
    await chat.exchange("While you watch", "Focused reply.");
    expect(notifications()).toEqual([]);

    // The user switches to another application: the page loses the focus.
    await page.evaluate(() => window.dispatchEvent(new Event("blur")));
    await model.enqueue({ text: "Away reply." });
    await chat.exchange("While you are away", "Away reply.");
    await expect.poll(() => notifications().length, { timeout: 10_000 }).toBe(1);
    expect(notifications()[0]?.body).toBe("Sage has finished.");

    await page.getByRole("link", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/settings/);
    desktop.stdin?.write(`click ${notifications()[0]?.id}\n`);
    await expect(page).toHaveURL(new RegExp(`/s/${sessionId}$`));
    await expect(chat.lastAssistant()).toContainText("Away reply.");
  });
});

test.describe("start at login", () => {
  test.use({ sageFolders: "fresh-home", sageEnv: { DBUS_SESSION_BUS_ADDRESS: "" } });

  test("the switch writes a valid autostart entry and removes it", async ({ page, sage }) => {
    const entry = join(sage.home ?? "", ".config", "autostart", "sage.desktop");
    await page.goto(sage.launchUrl);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByTestId("settings-nav-general").click();
    const toggle = page.getByTestId("setting-autostart");
    await expect(toggle).not.toBeChecked();
    await toggle.check();
    await expect(toggle).toBeChecked();
    await expect.poll(() => existsSync(entry)).toBe(true);
    expect(readFileSync(entry, "utf8")).toContain("X-GNOME-Autostart-enabled=true");
    expect(readFileSync(entry, "utf8")).toMatch(/^Exec=\S+ --hidden$/m);
    expect(execFileSync("desktop-file-validate", [entry], { encoding: "utf8" })).toBe("");
    await page.reload();
    await expect(page.getByTestId("setting-autostart")).toBeChecked();
    await page
      .getByTestId("settings-general")
      .screenshot({ path: join(SCREENSHOTS, "settings-general-desktop.png") });
    await page.getByTestId("setting-autostart").uncheck();
    await expect.poll(() => existsSync(entry)).toBe(false);
  });
});
