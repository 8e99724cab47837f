// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the configuration syntax under test
/**
 * How stdio MCP servers are launched (src/mcp/launch.ts), tool names (tool-adapter.ts) and the tool
 * selection of an agent (tool-selection.ts): pure functions, real files for the command lookup.
 */
import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AnyTool } from "../../src/agent/tool-contract.ts";
import {
  bunArguments,
  expandVariables,
  findCommand,
  type LaunchContext,
  planStdioLaunch,
  serverEnvironment,
} from "../../src/mcp/launch.ts";
import { qualifiedToolName } from "../../src/mcp/tool-adapter.ts";
import { selectMcpTools } from "../../src/mcp/tool-selection.ts";
import type { McpServerInput } from "../../src/shared/mcp.ts";

const root = mkdtempSync(join(tmpdir(), "sage-mcp-launch-"));
const bin = join(root, "bin");
const data = join(root, "data");
const workspaces = join(data, "workspaces");
const workspace = join(workspaces, "agent-1");
mkdirSync(bin, { recursive: true });
mkdirSync(workspace, { recursive: true });
writeFileSync(join(bin, "mytool"), "#!/bin/sh\n");
chmodSync(join(bin, "mytool"), 0o755);
writeFileSync(join(bin, "notexec"), "");

function context(patch: Partial<LaunchContext> = {}): LaunchContext {
  return {
    baseEnv: { PATH: bin, HOME: "/home/u", OPENAI_API_KEY: "sk-leak", SAGE_TEST: "1", LANG: "C.UTF-8" },
    userEnv: { GITHUB_TOKEN: "ghp_user" },
    execPath: "/opt/sage/sage",
    compiled: true,
    sandbox: { mode: "none", reason: "test" },
    hiddenPaths: [data],
    visiblePaths: [workspaces],
    setprivPath: null,
    ...patch,
  };
}

function server(patch: Partial<McpServerInput>): McpServerInput {
  return {
    name: "s",
    transport: "stdio",
    args: [],
    env: [],
    headers: [],
    enabled: true,
    startup: "lazy",
    initTimeoutSec: 30,
    callTimeoutSec: 300,
    trustReadOnly: false,
    ...patch,
  };
}

describe("expandVariables", () => {
  test("${NAME} and ${NAME:-default}; unknown names become empty", () => {
    expect(expandVariables("Bearer ${TOKEN}", { TOKEN: "abc" })).toBe("Bearer abc");
    expect(expandVariables("${MISSING:-fallback}/x", {})).toBe("fallback/x");
    expect(expandVariables("${MISSING}", {})).toBe("");
    expect(expandVariables("$TOKEN stays", { TOKEN: "abc" })).toBe("$TOKEN stays");
  });
});

describe("serverEnvironment", () => {
  test("a clean base (no keys of Sage's environment, no SAGE_*) plus the configured variables, expanded", () => {
    const env = serverEnvironment({ AUTH: "token ${GITHUB_TOKEN}", LEVEL: "debug" }, context());
    expect(env).toEqual({
      PATH: bin,
      HOME: "/home/u",
      LANG: "C.UTF-8",
      AUTH: "token ghp_user",
      LEVEL: "debug",
    });
  });
});

describe("findCommand", () => {
  test("on the PATH, by path, and not a non-executable file", () => {
    expect(findCommand("mytool", bin, "/")).toBe(join(bin, "mytool"));
    expect(findCommand("notexec", bin, "/")).toBeNull();
    expect(findCommand("./bin/mytool", bin, root)).toBe(join(bin, "mytool"));
    expect(findCommand("nope", bin, "/")).toBeNull();
  });
});

describe("planStdioLaunch", () => {
  test("an installed command runs as configured, in the workspace", () => {
    const plan = planStdioLaunch(
      server({ command: "mytool", args: ["--x", "${GITHUB_TOKEN}"] }),
      {},
      workspace,
      context(),
    );
    expect(plan.argv).toEqual([join(bin, "mytool"), "--x", "ghp_user"]);
    expect(plan.cwd).toBe(workspace);
    // What the user sees is the configured text, not the expanded secret.
    expect(plan.display).toBe("mytool --x '${GITHUB_TOKEN}'");
    expect(plan.containment).toBe("process-group");
  });

  test("npx without Node maps to Sage's Bun (bun x --bun, npx-only flags dropped, BUN_BE_BUN=1)", () => {
    const plan = planStdioLaunch(
      server({ command: "npx", args: ["-y", "@scope/server", "--flag"] }),
      {},
      workspace,
      context(),
    );
    expect(plan.argv).toEqual(["/opt/sage/sage", "x", "--bun", "@scope/server", "--flag"]);
    expect(plan.env.BUN_BE_BUN).toBe("1");
    expect(plan.note).toContain("npx is not installed on this computer");
    // From source (not compiled) the executable is bun itself: no BUN_BE_BUN needed.
    const fromSource = planStdioLaunch(
      server({ command: "node", args: ["s.js"] }),
      {},
      workspace,
      context({ compiled: false }),
    );
    expect(fromSource.argv).toEqual(["/opt/sage/sage", "s.js"]);
    expect(fromSource.env.BUN_BE_BUN).toBeUndefined();
  });

  test("a missing command that Sage cannot stand in for is a clear error", () => {
    expect(() => planStdioLaunch(server({ command: "uvx", args: ["x"] }), {}, workspace, context())).toThrow(
      `The command "uvx" was not found on the PATH (${bin}). Install it, or give its full path.`,
    );
    expect(() =>
      planStdioLaunch(server({ command: "mytool", cwd: "missing-dir" }), {}, workspace, context()),
    ).toThrow("does not exist");
  });

  test("bubblewrap: Sage's folders hidden, the workspaces kept, own PID namespace tied to Sage", () => {
    const plan = planStdioLaunch(
      server({ command: "mytool" }),
      {},
      workspace,
      context({
        sandbox: { mode: "bubblewrap", reason: "t", bubblewrap: { path: "/usr/bin/bwrap", extraArgs: [] } },
      }),
    );
    expect(plan.containment).toBe("bubblewrap");
    const argv = plan.argv.join(" ");
    expect(argv).toStartWith("/usr/bin/bwrap --dev-bind / / --proc /proc");
    expect(argv).toContain(`--tmpfs ${data}`);
    expect(argv).toContain(`--bind ${workspaces} ${workspaces}`);
    expect(argv).toContain(
      `--unshare-pid --die-with-parent --new-session --chdir ${workspace} -- ${join(bin, "mytool")}`,
    );
    expect(argv.indexOf(`--tmpfs ${data}`)).toBeLessThan(argv.indexOf(`--bind ${workspaces}`));
  });

  test("setpriv when bubblewrap is unusable", () => {
    const plan = planStdioLaunch(
      server({ command: "mytool" }),
      {},
      workspace,
      context({ setprivPath: "/usr/bin/setpriv" }),
    );
    expect(plan.argv).toEqual(["/usr/bin/setpriv", "--pdeathsig", "KILL", "--", join(bin, "mytool")]);
    expect(plan.containment).toBe("setpriv");
  });
});

describe("bunArguments", () => {
  test("keeps package options bun x understands", () => {
    expect(bunArguments("npx", ["--yes", "-p", "pkg", "cmd"])).toEqual(["x", "--bun", "-p", "pkg", "cmd"]);
    expect(bunArguments("bun", ["run", "x.ts"])).toEqual(["run", "x.ts"]);
  });
});

describe("tool names", () => {
  test("mcp__<server>__<tool>, reduced to what providers accept, unique when cut", () => {
    expect(qualifiedToolName("github", "create_issue")).toBe("mcp__github__create_issue");
    const odd = qualifiedToolName("docs", "search.pages/v2");
    expect(odd).toMatch(/^mcp__docs__search_pages_v2_[0-9a-f]{6}$/);
    const long = "a".repeat(80);
    const first = qualifiedToolName("srv", `${long}1`);
    const second = qualifiedToolName("srv", `${long}2`);
    expect(first.length).toBe(64);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe("selectMcpTools", () => {
  const tool = (name: string, server: string): AnyTool =>
    ({ name, origin: { source: "mcp", server } }) as unknown as AnyTool;
  const tools = [tool("mcp__a__x", "a"), tool("mcp__a__y", "a"), tool("mcp__b__z", "b")];
  test('"all", a list naming none of a server\'s tools, and a list narrowing one server', () => {
    expect(selectMcpTools(tools, "all").map((t) => t.name)).toEqual(["mcp__a__x", "mcp__a__y", "mcp__b__z"]);
    expect(selectMcpTools(tools, ["read_file"]).map((t) => t.name)).toEqual([
      "mcp__a__x",
      "mcp__a__y",
      "mcp__b__z",
    ]);
    expect(selectMcpTools(tools, ["read_file", "mcp__a__y"]).map((t) => t.name)).toEqual([
      "mcp__a__y",
      "mcp__b__z",
    ]);
  });
});
