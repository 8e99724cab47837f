/**
 * Platform differences with the platform passed in (src/core/platform.ts): the shell tool's shell and
 * how a command tree is stopped, the opener for URLs and folders, the sandbox per platform (Seatbelt's
 * profile on macOS, approvals only on Windows), and the window/browser checks that only Linux needs.
 */
import { describe, expect, spyOn, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDesktopEntryCommand } from "../../src/desktop/desktop-entry.ts";
import { openerCommands } from "../../src/desktop/shell-control.ts";
import { secretStorePaths } from "../../src/sandbox/bubblewrap.ts";
import {
  otherPlatformSandbox,
  sbplString,
  seatbeltCommand,
  seatbeltProfile,
} from "../../src/sandbox/seatbelt.ts";
import { shellProgram, taskkillArgs } from "../../src/sandbox/shell-program.ts";
import { openInBrowser } from "../../src/shell/browser-launch.ts";
import { checkWindowAvailability } from "../../src/shell/display.ts";

const noBash = { exists: () => false, which: () => null };

describe("shell program", () => {
  test("Linux and macOS run bash -c, sh -c where bash is missing", () => {
    const linux = shellProgram("linux", { exists: (path) => path === "/bin/bash", which: () => null });
    expect(linux.argv("ls -la")).toEqual(["/bin/bash", "-c", "ls -la"]);
    expect(linux.label).toBe("bash -c");
    expect(shellProgram("darwin", noBash).argv("echo hi")).toEqual(["/bin/sh", "-c", "echo hi"]);
  });

  test("Windows runs PowerShell without profile, preferring pwsh", () => {
    const withPwsh = shellProgram("windows", {
      exists: () => true,
      which: (name) => (name === "pwsh" ? "C:\\Program Files\\PowerShell\\7\\pwsh.exe" : null),
    });
    expect(withPwsh.argv("Get-ChildItem")).toEqual([
      "C:\\Program Files\\PowerShell\\7\\pwsh.exe",
      "-NoProfile",
      "-NonInteractive",
      "-Command",
      "Get-ChildItem",
    ]);
    expect(withPwsh.label).toContain("PowerShell");
    expect(shellProgram("windows", noBash).argv("dir")[0]).toBe("powershell.exe");
  });

  test("Windows stops the tree with taskkill, forcing only for SIGKILL", () => {
    expect(taskkillArgs(42, "SIGTERM")).toEqual(["taskkill", "/T", "/PID", "42"]);
    expect(taskkillArgs(42, "SIGKILL")).toEqual(["taskkill", "/T", "/F", "/PID", "42"]);
  });

  test("on Linux stopping signals the process group and ignores a gone one", async () => {
    const child = Bun.spawn(["sh", "-c", "sleep 30 & sleep 30"], {
      detached: true,
      stdio: ["ignore", "ignore", "ignore"],
    });
    await Bun.sleep(100);
    shellProgram("linux").stopTree(child.pid, "SIGKILL");
    expect(await child.exited).not.toBe(0);
    expect(() => shellProgram("linux").stopTree(child.pid, "SIGTERM")).not.toThrow();
  });
});

describe("opening URLs and folders", () => {
  test("Linux tries the installed openers in order; none installed is an empty list", () => {
    const which = (name: string) => (name === "sensible-browser" ? null : `/usr/bin/${name}`);
    expect(openerCommands("https://x.test/", "linux", which)).toEqual([
      ["/usr/bin/xdg-open", "https://x.test/"],
      ["/usr/bin/gio", "open", "https://x.test/"],
    ]);
    expect(openerCommands("https://x.test/", "linux", () => null)).toEqual([]);
  });

  test("macOS uses open; Windows the URL handler, never cmd's start", () => {
    expect(openerCommands("file:///Users/ada/ws", "darwin")).toEqual([
      ["/usr/bin/open", "file:///Users/ada/ws"],
    ]);
    const [windows] = openerCommands("https://x.test/?a=1&b=2", "windows");
    expect(windows).toEqual(["rundll32.exe", "url.dll,FileProtocolHandler", "https://x.test/?a=1&b=2"]);
    expect(windows?.join(" ")).not.toContain("cmd");
  });

  test("only Linux needs DISPLAY to open a browser", () => {
    const open = () => true;
    expect(openInBrowser("http://x", { noOpen: false, env: {}, open, os: "linux" })).toBe("no-display");
    expect(openInBrowser("http://x", { noOpen: false, env: {}, open, os: "darwin" })).toBe("opened");
    expect(openInBrowser("http://x", { noOpen: false, env: {}, open, os: "windows" })).toBe("opened");
    expect(openInBrowser("http://x", { noOpen: true, env: {}, open, os: "windows" })).toBe("not-asked");
  });

  test("only Linux checks for a display and WebKitGTK before opening the window", () => {
    const missing = () => {
      throw new Error("not found");
    };
    expect(checkWindowAvailability({}, missing, "linux").ok).toBe(false);
    expect(checkWindowAvailability({}, missing, "darwin")).toEqual({ ok: true });
    expect(checkWindowAvailability({}, missing, "windows")).toEqual({ ok: true });
  });
});

describe("sandbox per platform", () => {
  test("Linux is left to the bubblewrap probe", () => {
    expect(otherPlatformSandbox("linux")).toBeUndefined();
  });

  test("macOS uses Seatbelt when sandbox-exec exists, else approvals only", () => {
    expect(otherPlatformSandbox("darwin", () => true)?.mode).toBe("seatbelt");
    const without = otherPlatformSandbox("darwin", () => false);
    expect(without?.mode).toBe("none");
    expect(without?.reason).toContain("approval");
  });

  test("Windows is approvals only, and says so", () => {
    const status = otherPlatformSandbox("windows", () => true);
    expect(status?.mode).toBe("none");
    expect(status?.reason).toContain("Windows has no sandbox");
  });

  test("the Seatbelt profile: writes only in the workspace and temp, hidden paths unreadable", () => {
    const profile = seatbeltProfile({
      workspace: "/Users/ada/ws",
      hiddenPaths: ["/Users/ada/Library/Application Support/Sage", "/Users/ada/.ssh"],
      network: "host",
    });
    const lines = profile.trim().split("\n");
    expect(lines[0]).toBe("(version 1)");
    expect(lines[1]).toBe("(allow default)");
    expect(lines[2]).toBe('(deny file-write* (subpath "/"))');
    expect(lines[3]).toContain('(allow file-write* (subpath "/Users/ada/ws") (subpath "/private/tmp")');
    // Later rules win in SBPL: the hidden paths come after the workspace's write permission.
    expect(lines.slice(4)).toEqual([
      '(deny file-read* file-write* (subpath "/Users/ada/Library/Application Support/Sage"))',
      '(deny file-read* file-write* (subpath "/Users/ada/.ssh"))',
    ]);
  });

  test("the Seatbelt network follows the agent's mode", () => {
    const base = { workspace: "/w", hiddenPaths: [] };
    expect(seatbeltProfile({ ...base, network: "isolated" })).toContain("(deny network*)");
    const internet = seatbeltProfile({ ...base, network: "internet" });
    expect(internet).toContain('(deny network-outbound (remote ip "localhost:*"))');
    expect(internet).not.toContain("(deny network*)");
    expect(seatbeltProfile({ ...base, network: "host" })).not.toContain("network");
  });

  test("quotes and backslashes in paths cannot end the SBPL string", () => {
    expect(sbplString('/tmp/a"b\\c')).toBe('"/tmp/a\\"b\\\\c"');
    const profile = seatbeltProfile({
      workspace: '/w") (allow file-write* (subpath "/',
      hiddenPaths: [],
      network: "host",
    });
    expect(profile).toContain('(subpath "/w\\") (allow file-write* (subpath \\"/")');
  });

  test("the command runs the shell's argv under sandbox-exec -p", () => {
    const argv = seatbeltCommand({ workspace: "/w", hiddenPaths: [], network: "host" }, [
      "/bin/bash",
      "-c",
      "ls",
    ]);
    expect(argv.slice(0, 2)).toEqual(["/usr/bin/sandbox-exec", "-p"]);
    expect(argv.slice(3)).toEqual(["/bin/bash", "-c", "ls"]);
  });
});

describe("Linux desktop files", () => {
  test("--install / --uninstall on macOS or Windows say so, exit 2 and write nothing", () => {
    const home = mkdtempSync(join(tmpdir(), "sage-install-"));
    const env = { HOME: home, XDG_DATA_HOME: join(home, "data"), XDG_CONFIG_HOME: join(home, "config") };
    const errors = spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(runDesktopEntryCommand("install", env, "/Applications/Sage", true, "darwin")).toBe(2);
      expect(runDesktopEntryCommand("uninstall", env, "C:\\Sage\\sage.exe", true, "windows")).toBe(2);
      expect(String(errors.mock.calls[0]?.[0])).toContain("this is macOS");
      expect(String(errors.mock.calls[1]?.[0])).toContain("this is Windows");
    } finally {
      errors.mockRestore();
    }
    expect(existsSync(join(home, "data"))).toBe(false);
    expect(existsSync(join(home, "config"))).toBe(false);
    // On Linux the same call writes the entry (the full check is test/integration/desktop-entry.test.ts).
    expect(runDesktopEntryCommand("install", env, "/opt/sage/sage", true, "linux")).toBe(0);
    expect(existsSync(join(home, "data", "applications", "sage.desktop"))).toBe(true);
  });
});

describe("secret stores hidden from commands and file tools", () => {
  test("Linux: the runtime folder and the keyrings", () => {
    expect(secretStorePaths({ HOME: "/home/ada", XDG_RUNTIME_DIR: "/run/user/1000" }, "linux")).toEqual([
      "/run/user/1000",
      "/home/ada/.local/share/keyrings",
    ]);
  });

  test("macOS: keychains, cookies, Safari, Mail and the browsers' profiles", () => {
    const paths = secretStorePaths({ HOME: "/Users/ada", XDG_RUNTIME_DIR: "/ignored" }, "darwin");
    expect(paths).toContain("/Users/ada/Library/Keychains");
    expect(paths).toContain("/Users/ada/Library/Cookies");
    expect(paths).toContain("/Users/ada/Library/Application Support/Google/Chrome");
    expect(paths).toContain("/Users/ada/Library/Application Support/Firefox");
    expect(paths).not.toContain("/ignored");
    expect(secretStorePaths({ HOME: "relative" }, "darwin")).toEqual([]);
  });

  test("Windows: Credential Manager, DPAPI keys and the browsers' profiles", () => {
    const paths = secretStorePaths({ USERPROFILE: "C:\\Users\\Ada" }, "windows");
    expect(paths).toContain("C:\\Users\\Ada\\AppData\\Roaming\\Microsoft\\Credentials");
    expect(paths).toContain("C:\\Users\\Ada\\AppData\\Roaming\\Microsoft\\Protect");
    expect(paths).toContain("C:\\Users\\Ada\\AppData\\Local\\Google\\Chrome\\User Data");
    expect(secretStorePaths({ LOCALAPPDATA: "D:\\L" }, "windows")).toContain(
      "D:\\L\\Microsoft\\Edge\\User Data",
    );
  });
});
