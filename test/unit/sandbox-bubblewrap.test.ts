/**
 * Bubblewrap detection, argument building, and the real sandbox: these tests run commands under
 * bwrap and check from outside what they could see and change. They are skipped (with the reason
 * logged) only where the probe finds bwrap unusable.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildBubblewrapArgs,
  probeBubblewrap,
  sandboxMode,
  sandboxStatus,
  secretStorePaths,
} from "../../src/sandbox/bubblewrap.ts";
import { buildShellEnvironment } from "../../src/sandbox/environment.ts";
import { startShellProcess } from "../../src/sandbox/shell-process.ts";
import type { ShellSandboxConfig } from "../../src/sandbox/types.ts";
import type { NetworkMode } from "../../src/shared/agent.ts";

const scratch = mkdtempSync(join(tmpdir(), "sage-bwrap-unit-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function indexOfPair(args: string[], flag: string, value: string): number {
  return args.findIndex((arg, index) => arg === flag && args[index + 1] === value);
}

describe("buildBubblewrapArgs", () => {
  const workspace = join(scratch, "args", "workspace");
  const dataDir = join(scratch, "args", "data");
  const keyFile = join(scratch, "args", "keys.json");
  beforeAll(() => {
    mkdirSync(workspace, { recursive: true });
    mkdirSync(join(dataDir, "workspaces", "inner"), { recursive: true });
    mkdirSync(join(workspace, ".sage-data"), { recursive: true });
    writeFileSync(keyFile, "{}");
  });

  test("the whole system read-only, private /dev, /proc and /tmp, the workspace writable", () => {
    const args = buildBubblewrapArgs({ workspace, hiddenPaths: [], network: "host" });
    expect(args.slice(0, 9)).toEqual([
      "--ro-bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--tmpfs",
      "/tmp",
    ]);
    expect(indexOfPair(args, "--bind", workspace)).toBeGreaterThan(0);
    expect(args).toContain("--die-with-parent");
    expect(args).toContain("--new-session");
    expect(args).toContain("--unshare-pid");
    expect(args).not.toContain("--unshare-net");
    expect(args.slice(-2)).toEqual(["--chdir", workspace]);
  });

  test("network off adds --unshare-net", () => {
    expect(buildBubblewrapArgs({ workspace, hiddenPaths: [], network: "isolated" })).toContain(
      "--unshare-net",
    );
  });

  test("hides folders with an empty tmpfs and files with /dev/null; skips missing paths", () => {
    const args = buildBubblewrapArgs({
      workspace,
      hiddenPaths: [dataDir, keyFile, join(scratch, "does-not-exist")],
      network: "host",
    });
    expect(indexOfPair(args, "--tmpfs", dataDir)).toBeGreaterThan(0);
    expect(args[args.indexOf(keyFile) - 1]).toBe("/dev/null");
    expect(args.join(" ")).not.toContain("does-not-exist");
  });

  test("a workspace inside the hidden data dir is bound after the data dir is hidden", () => {
    const inner = join(dataDir, "workspaces", "inner");
    const args = buildBubblewrapArgs({ workspace: inner, hiddenPaths: [dataDir], network: "host" });
    expect(indexOfPair(args, "--tmpfs", dataDir)).toBeLessThan(indexOfPair(args, "--bind", inner));
  });

  test("a hidden folder inside the workspace is hidden after the workspace is bound", () => {
    const hidden = join(workspace, ".sage-data");
    const args = buildBubblewrapArgs({ workspace, hiddenPaths: [hidden], network: "host" });
    expect(indexOfPair(args, "--bind", workspace)).toBeLessThan(indexOfPair(args, "--tmpfs", hidden));
  });

  test("refuses relative or missing workspaces and relative hidden paths", () => {
    expect(() => buildBubblewrapArgs({ workspace: "relative/ws", hiddenPaths: [], network: "host" })).toThrow(
      /absolute/,
    );
    expect(() =>
      buildBubblewrapArgs({ workspace: join(scratch, "nope"), hiddenPaths: [], network: "host" }),
    ).toThrow(/does not exist/);
    expect(() => buildBubblewrapArgs({ workspace, hiddenPaths: ["data"], network: "host" })).toThrow(
      /absolute/,
    );
  });

  test("secretStorePaths names the whole runtime folder and the keyrings from the given environment only", () => {
    expect(secretStorePaths({ XDG_RUNTIME_DIR: "/run/user/1000", HOME: "/home/u" })).toEqual([
      "/run/user/1000",
      "/home/u/.local/share/keyrings",
    ]);
    expect(secretStorePaths({ XDG_DATA_HOME: "/d" })).toEqual(["/d/keyrings"]);
    expect(secretStorePaths({ XDG_RUNTIME_DIR: "relative" })).toEqual([]);
  });
});

describe("probeBubblewrap", () => {
  test("a missing bwrap means no sandbox, with the reason", async () => {
    const status = await probeBubblewrap([join(scratch, "no-such-bwrap")]);
    expect(status.mode).toBe("none");
    expect(status.reason).toContain("not installed");
    expect(status.bubblewrap).toBeUndefined();
  });

  test("a bwrap that cannot create a sandbox means no sandbox, with its error", async () => {
    const broken = join(scratch, "broken-bwrap");
    writeFileSync(broken, "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n");
    chmodSync(broken, 0o755);
    const status = await probeBubblewrap([broken]);
    expect(status.mode).toBe("none");
    expect(status.reason).toContain("No permissions to create new namespace");
  });

  test("sandboxMode agrees with the cached status", async () => {
    expect(await sandboxMode()).toBe((await sandboxStatus()).mode);
    expect(sandboxStatus()).toBe(sandboxStatus());
  });
});

const machine = await probeBubblewrap();
const usable = machine.mode === "bubblewrap";
if (!usable) console.warn(`Skipping the real bubblewrap tests: ${machine.reason}`);

/** Outside /tmp, which the sandbox replaces by an empty tmpfs anyway (that would prove nothing). */
function outsideTmp(): string {
  for (const parent of ["/var/tmp", process.cwd()]) {
    try {
      return mkdtempSync(join(parent, "sage-bwrap-"));
    } catch {
      // not writable; try the next
    }
  }
  throw new Error("No writable folder outside /tmp for the sandbox tests");
}

/** Live (not zombie) processes whose argv is exactly `argv`. */
function processesRunning(argv: string[]): number {
  let count = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(join("/proc", entry, "cmdline"), "utf8");
      const state = readFileSync(join("/proc", entry, "stat"), "utf8").split(") ")[1]?.[0];
      if (commandLine === `${argv.join("\0")}\0` && state !== "Z") count += 1;
    } catch {
      // the process ended while we looked
    }
  }
  return count;
}

describe.skipIf(!usable)("under bubblewrap", () => {
  let base = "";
  let workspace = "";
  let dataDir = "";
  let outside = "";
  const secret = "the-database-and-keys-are-here";

  beforeAll(() => {
    base = outsideTmp();
    workspace = join(base, "workspace");
    dataDir = join(base, "sage-data");
    outside = join(base, "elsewhere");
    for (const folder of [workspace, join(dataDir, "workspaces", "agent"), outside])
      mkdirSync(folder, { recursive: true });
    writeFileSync(join(dataDir, "sage.db"), secret);
    writeFileSync(join(base, "keys.json"), secret);
    mkdirSync(join(workspace, "hidden-inside"));
    writeFileSync(join(workspace, "hidden-inside", "token"), secret);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  function config(
    network: NetworkMode,
    hiddenPaths = [dataDir, join(base, "keys.json")],
  ): ShellSandboxConfig {
    return { ...machine, hiddenPaths, network, env: buildShellEnvironment({ base: process.env }) };
  }

  async function run(
    command: string,
    options: { network?: NetworkMode; root?: string; hidden?: string[] } = {},
  ) {
    const root = options.root ?? workspace;
    const started = startShellProcess({
      command,
      cwd: root,
      workspaceRoot: root,
      sandbox: config(options.network ?? "isolated", options.hidden),
      timeoutMs: 15_000,
    });
    const outcome = await started.finished;
    return { outcome, text: started.output.text() };
  }

  test("a command cannot read the hidden data dir or a hidden file", async () => {
    const result = await run(
      `ls -A ${dataDir}; cat ${join(dataDir, "sage.db")}; cat ${join(base, "keys.json")}`,
    );
    expect(result.text).not.toContain(secret);
    expect(result.text).not.toContain("sage.db\n");
    expect(result.outcome.exitCode).not.toBe(0);
  });

  test("a command cannot write outside the workspace", async () => {
    const attempt = (target: string, label: string) =>
      `if touch ${target}; then echo wrote-${label}; else echo refused-${label}; fi`;
    const result = await run(
      [
        attempt(join(outside, "f"), "elsewhere"),
        attempt("/etc/sage-sandbox-test", "etc"),
        attempt("/sage-root-test", "root"),
        // HOME lies under /tmp in tests, which is a private tmpfs in the sandbox: the write may
        // succeed inside, but must not reach the real folder.
        `mkdir -p "$HOME" && touch "$HOME/sage-home-test"`,
      ].join("; "),
    );
    for (const label of ["elsewhere", "etc", "root"]) expect(result.text).toContain(`refused-${label}`);
    expect(result.text).toMatch(/Read-only file system|Permission denied/);
    expect(existsSync(join(outside, "f"))).toBe(false);
    expect(existsSync("/etc/sage-sandbox-test")).toBe(false);
    expect(existsSync("/sage-root-test")).toBe(false);
    expect(existsSync(join(process.env.HOME ?? "/nonexistent", "sage-home-test"))).toBe(false);
  });

  test("a command can write inside the workspace", async () => {
    const result = await run("mkdir -p made && echo written > made/file.txt && cat made/file.txt");
    expect(result.outcome.exitCode).toBe(0);
    expect(readFileSync(join(workspace, "made", "file.txt"), "utf8")).toBe("written\n");
  });

  test("a workspace inside the data dir stays writable while the rest of it is hidden", async () => {
    const inner = join(dataDir, "workspaces", "agent");
    const result = await run(`echo ok > note.txt && ls -A ${dataDir}; cat ${join(dataDir, "sage.db")}`, {
      root: inner,
    });
    expect(readFileSync(join(inner, "note.txt"), "utf8")).toBe("ok\n");
    expect(result.text).not.toContain(secret);
  });

  test("a hidden folder inside the workspace stays hidden", async () => {
    const result = await run("cat hidden-inside/token; echo entries=$(ls -A hidden-inside | wc -l)", {
      hidden: [join(workspace, "hidden-inside")],
    });
    expect(result.text).not.toContain(secret);
    expect(result.text).toContain("entries=0");
    expect(readFileSync(join(workspace, "hidden-inside", "token"), "utf8")).toBe(secret);
  });

  test("a hidden socket (like the session bus) cannot be connected to", async () => {
    const socketPath = join(base, "bus");
    const listener = Bun.listen({ unix: socketPath, socket: { data: () => {} } });
    try {
      const probe = `if [ -S ${socketPath} ]; then echo is-a-socket; else echo not-a-socket; fi`;
      expect((await run(probe, { hidden: [socketPath] })).text).toContain("not-a-socket");
      expect((await run(probe, { hidden: [] })).text).toContain("is-a-socket");
    } finally {
      listener.stop(true);
    }
  });

  test("network isolated blocks a local TCP server; host network reaches it", async () => {
    const server = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: { open: (socket) => void socket.end("hello from the test server\n"), data: () => {} },
    });
    try {
      const connect = `exec 3<>/dev/tcp/127.0.0.1/${server.port} && cat <&3`;
      const offline = await run(connect, { network: "isolated" });
      expect(offline.outcome.exitCode).not.toBe(0);
      expect(offline.text).not.toContain("hello from the test server");
      const online = await run(connect, { network: "host" });
      expect(online.text).toContain("hello from the test server");
      expect(online.outcome.exitCode).toBe(0);
    } finally {
      server.stop(true);
    }
  });

  test("stopping the command kills every process in the sandbox", async () => {
    const marker = `${Date.now() % 1000}.${process.pid % 997}7`;
    const started = startShellProcess({
      command: `sleep 1${marker} & sleep 2${marker} & wait`,
      cwd: workspace,
      workspaceRoot: workspace,
      sandbox: config("isolated"),
      timeoutMs: 500,
    });
    await Bun.sleep(250);
    expect(processesRunning(["sleep", `1${marker}`])).toBe(1);
    expect(processesRunning(["sleep", `2${marker}`])).toBe(1);
    const outcome = await started.finished;
    expect(outcome.stoppedBy).toBe("timeout");
    await Bun.sleep(100);
    expect(processesRunning(["sleep", `1${marker}`])).toBe(0);
    expect(processesRunning(["sleep", `2${marker}`])).toBe(0);
  });

  test("a sandbox that says bubblewrap without a launcher is refused, not run bare", () => {
    const { bubblewrap: _ignored, ...withoutLauncher } = config("isolated");
    expect(() =>
      startShellProcess({
        command: "true",
        cwd: workspace,
        workspaceRoot: workspace,
        sandbox: withoutLauncher,
      }),
    ).toThrow(/no usable bwrap/);
  });
});
