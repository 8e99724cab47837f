/**
 * Data folders per platform (src/core/paths.ts with the platform passed in): Application Support on
 * macOS, AppData on Windows (with Windows path rules), XDG elsewhere; the one-folder override wins
 * everywhere. Linux's layout in detail is in paths.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { resolvePaths } from "../../src/core/paths.ts";
import { operatingSystemOf } from "../../src/core/platform.ts";

describe("operatingSystemOf", () => {
  test("maps Node's platform names; other Unixes behave as Linux", () => {
    expect(operatingSystemOf("win32")).toBe("windows");
    expect(operatingSystemOf("darwin")).toBe("darwin");
    expect(operatingSystemOf("linux")).toBe("linux");
    expect(operatingSystemOf("freebsd")).toBe("linux");
  });
});

describe("resolvePaths on macOS", () => {
  test("data and config under Application Support, logs under ~/Library/Logs", () => {
    const paths = resolvePaths({ HOME: "/Users/ada", XDG_DATA_HOME: "/ignored" }, undefined, "darwin");
    expect(paths.data).toBe("/Users/ada/Library/Application Support/Sage");
    expect(paths.home).toBe(paths.data);
    expect(paths.config).toBe("/Users/ada/Library/Application Support/Sage/config");
    expect(paths.logs).toBe("/Users/ada/Library/Logs/Sage");
    expect(paths.database).toBe("/Users/ada/Library/Application Support/Sage/sage.db");
    expect(paths.windowState).toBe("/Users/ada/Library/Application Support/Sage/config/window.json");
    expect(paths.userHome).toBe("/Users/ada");
  });

  test("SAGE_HOME still puts everything in one folder", () => {
    const paths = resolvePaths({ HOME: "/Users/ada", SAGE_HOME: "/Volumes/usb/sage" }, undefined, "darwin");
    expect(paths.data).toBe("/Volumes/usb/sage");
    expect(paths.logs).toBe("/Volumes/usb/sage/logs");
  });
});

describe("resolvePaths on Windows", () => {
  const env = {
    USERPROFILE: "C:\\Users\\Ada",
    LOCALAPPDATA: "C:\\Users\\Ada\\AppData\\Local",
    APPDATA: "C:\\Users\\Ada\\AppData\\Roaming",
  };

  test("data in LOCALAPPDATA, config in APPDATA (roaming), with backslashes", () => {
    const paths = resolvePaths(env, undefined, "windows");
    expect(paths.data).toBe("C:\\Users\\Ada\\AppData\\Local\\Sage");
    expect(paths.config).toBe("C:\\Users\\Ada\\AppData\\Roaming\\Sage");
    expect(paths.logs).toBe("C:\\Users\\Ada\\AppData\\Local\\Sage\\logs");
    expect(paths.database).toBe("C:\\Users\\Ada\\AppData\\Local\\Sage\\sage.db");
    expect(paths.workspaces).toBe("C:\\Users\\Ada\\AppData\\Local\\Sage\\workspaces");
    expect(paths.userHome).toBe("C:\\Users\\Ada");
  });

  test("without the AppData variables, the defaults under the profile folder", () => {
    const paths = resolvePaths({ USERPROFILE: "D:\\Home\\ada" }, undefined, "windows");
    expect(paths.data).toBe("D:\\Home\\ada\\AppData\\Local\\Sage");
    expect(paths.config).toBe("D:\\Home\\ada\\AppData\\Roaming\\Sage");
  });

  test("--data-dir resolves with Windows rules", () => {
    const paths = resolvePaths(env, "E:\\portable\\sage", "windows");
    expect(paths.data).toBe("E:\\portable\\sage");
    expect(paths.config).toBe("E:\\portable\\sage\\config");
    expect(paths.lockFile).toBe("E:\\portable\\sage\\sage.lock");
  });

  test("XDG variables are not read on Windows or macOS", () => {
    const xdg = { ...env, HOME: "/home/ada", XDG_DATA_HOME: "/xdg", XDG_CONFIG_HOME: "/xdgc" };
    expect(resolvePaths(xdg, undefined, "windows").data).not.toContain("xdg");
    expect(resolvePaths(xdg, undefined, "darwin").config).not.toContain("xdg");
    expect(resolvePaths(xdg, undefined, "linux").data).toBe("/xdg/sage");
  });
});
