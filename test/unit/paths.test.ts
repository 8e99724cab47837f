import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensurePaths, resolvePaths } from "../../src/core/paths.ts";

describe("resolvePaths: XDG layout", () => {
  test("follows XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_STATE_HOME", () => {
    const paths = resolvePaths({
      HOME: "/home/ada",
      XDG_DATA_HOME: "/xdg/data",
      XDG_CONFIG_HOME: "/xdg/config",
      XDG_STATE_HOME: "/xdg/state",
    });
    expect(paths).toEqual({
      home: "/xdg/data/sage",
      userHome: "/home/ada",
      data: "/xdg/data/sage",
      config: "/xdg/config/sage",
      state: "/xdg/state/sage",
      logs: "/xdg/state/sage/logs",
      database: "/xdg/data/sage/sage.db",
      workspaces: "/xdg/data/sage/workspaces",
      skills: "/xdg/data/sage/skills",
      browserProfiles: "/xdg/data/sage/browser-profiles",
      lockFile: "/xdg/data/sage/sage.lock",
      windowState: "/xdg/config/sage/window.json",
      secretsFile: "/xdg/data/sage/secrets.enc",
      modules: "/xdg/data/sage/modules",
    });
  });

  test("falls back to the XDG defaults under HOME when the variables are unset or empty", () => {
    const paths = resolvePaths({ HOME: "/home/ada", XDG_DATA_HOME: "" });
    expect(paths.data).toBe("/home/ada/.local/share/sage");
    expect(paths.config).toBe("/home/ada/.config/sage");
    expect(paths.logs).toBe("/home/ada/.local/state/sage/logs");
    expect(paths.database).toBe("/home/ada/.local/share/sage/sage.db");
  });

  test("never points inside the source tree or the executable", () => {
    const paths = resolvePaths({ HOME: "/home/ada" });
    const { userHome, ...sageOwn } = paths;
    expect(userHome).toBe("/home/ada");
    for (const value of Object.values(sageOwn)) {
      expect(value.startsWith("/home/ada/")).toBe(true);
      expect(value).not.toContain("$bunfs");
    }
  });
});

describe("resolvePaths: one folder override", () => {
  test("--data-dir puts everything under one folder", () => {
    const paths = resolvePaths({ HOME: "/home/ada", XDG_DATA_HOME: "/xdg/data" }, "/portable/sage");
    expect(paths.home).toBe("/portable/sage");
    expect(paths.data).toBe("/portable/sage");
    expect(paths.config).toBe("/portable/sage/config");
    expect(paths.logs).toBe("/portable/sage/logs");
    expect(paths.database).toBe("/portable/sage/sage.db");
    expect(paths.lockFile).toBe("/portable/sage/sage.lock");
    expect(paths.windowState).toBe("/portable/sage/config/window.json");
  });

  test("SAGE_HOME does the same; the flag wins over it", () => {
    expect(resolvePaths({ HOME: "/h", SAGE_HOME: "/env/sage" }).database).toBe("/env/sage/sage.db");
    expect(resolvePaths({ HOME: "/h", SAGE_HOME: "/env/sage" }, "/flag/sage").database).toBe(
      "/flag/sage/sage.db",
    );
  });

  test("a relative folder is made absolute against the working directory", () => {
    expect(resolvePaths({ HOME: "/h" }, "rel/dir").home).toBe(resolve("rel/dir"));
  });
});

describe("ensurePaths", () => {
  let base: string;
  afterEach(() => rmSync(base, { recursive: true, force: true }));
  const modeOf = (dir: string) => statSync(dir).mode & 0o777;

  test("creates the folders private to the user (0700)", () => {
    base = mkdtempSync(join(tmpdir(), "sage-paths-"));
    const paths = resolvePaths({ HOME: base }, join(base, "data"));
    ensurePaths(paths);
    for (const dir of [paths.data, paths.config, paths.logs, paths.workspaces, paths.skills]) {
      const stat = statSync(dir);
      expect(stat.isDirectory()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o700);
    }
    // Idempotent.
    expect(() => ensurePaths(paths)).not.toThrow();
  });

  test("on a brand-new account (empty HOME) creates the XDG folders, then the lock can be taken", () => {
    base = mkdtempSync(join(tmpdir(), "sage-paths-"));
    const paths = resolvePaths({ HOME: base });
    ensurePaths(paths);
    for (const dir of [".local/share/sage", ".config/sage", ".local/state/sage", ".local/state/sage/logs"]) {
      expect(modeOf(join(base, dir))).toBe(0o700);
    }
    expect(paths.state).toBe(join(base, ".local/state/sage"));
    expect(() => writeFileSync(paths.lockFile, "{}", { flag: "wx" })).not.toThrow();
  });

  test("makes Sage's own existing folders private, never the user's parents", () => {
    base = mkdtempSync(join(tmpdir(), "sage-paths-"));
    const share = join(base, ".local", "share");
    const config = join(base, ".config");
    mkdirSync(join(share, "sage"), { recursive: true, mode: 0o755 });
    mkdirSync(join(config, "sage"), { recursive: true, mode: 0o755 });
    chmodSync(share, 0o755);
    chmodSync(join(share, "sage"), 0o755);
    chmodSync(config, 0o751);
    chmodSync(join(config, "sage"), 0o775);
    ensurePaths(resolvePaths({ HOME: base }));
    expect(modeOf(join(share, "sage"))).toBe(0o700);
    expect(modeOf(join(config, "sage"))).toBe(0o700);
    expect(modeOf(share)).toBe(0o755);
    expect(modeOf(config)).toBe(0o751);
  });

  test("a file where a folder should be gives a named error that names the path", () => {
    base = mkdtempSync(join(tmpdir(), "sage-paths-"));
    mkdirSync(join(base, ".config"));
    writeFileSync(join(base, ".config", "sage"), "not a folder");
    let caught: unknown;
    try {
      ensurePaths(resolvePaths({ HOME: base }));
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).name).toBe("DataFolderError");
    expect((caught as Error).message).toContain(join(base, ".config", "sage"));
    expect((caught as Error).message).toContain("--data-dir");
  });
});
