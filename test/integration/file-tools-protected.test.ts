/**
 * The file tools against Sage's secrets and the user's credentials, through a real Sage whose folders
 * are the default XDG layout of a test home (test/support/attack-home.ts): the lock file with the
 * live token, `secrets.enc` and its key, `~/.ssh/id_rsa`.
 *
 * 1. Where a workspace is set (agents API, agent import), `/`, `$HOME`, system folders, Sage's folders
 *    and credential folders are refused with the reason; a workspace stored before the rule is refused
 *    when a tool runs.
 * 2. A workspace that contains Sage's data folder or a credential folder (allowed: `~/.local`,
 *    `~/.config`) still cannot read, write or list them, by any spelling.
 * 3. Even with the location rule bypassed — the confinement built for `$HOME` itself — no file tool
 *    reads, writes or lists them (the two checks are independent).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { AnyTool, ToolContext } from "../../src/agent/tool-contract.ts";
import { protectedPaths } from "../../src/sandbox/protected-paths.ts";
import { createWorkspace } from "../../src/sandbox/workspace.ts";
import { DEFAULT_CREDENTIAL_FOLDERS } from "../../src/shared/credential-folders.ts";
import type { ToolRunResult } from "../../src/shared/tools-api.ts";
import { acquireInstanceLock, type InstanceLock } from "../../src/shell/single-instance.ts";
import { globTool } from "../../src/tools/glob.ts";
import { grepTool } from "../../src/tools/grep.ts";
import { listDirTool } from "../../src/tools/list-dir.ts";
import { readFileTool } from "../../src/tools/read-file.ts";
import { writeFileTool } from "../../src/tools/write-file.ts";
import { type AttackHome, createAttackHome } from "../support/attack-home.ts";
import { useBackend } from "../support/backend.ts";

let attack: AttackHome;
let lock: InstanceLock;

beforeAll(async () => {
  attack = createAttackHome();
});
const app = useBackend(() => ({ paths: attack.paths }));
beforeAll(async () => {
  const acquired = await acquireInstanceLock(attack.paths.lockFile, "serve");
  if (!acquired.acquired) throw new Error("the test's data folder is locked by another process");
  lock = acquired.lock;
  lock.ready(Number(new URL(app().url).port), "127.0.0.1", app().token);
  // The key store's files exist whichever store the machine picked (the keychain on a desktop).
  for (const file of [attack.paths.secretsFile, `${attack.paths.secretsFile}.key`]) {
    if (!existsSync(file)) writeFileSync(file, `stand-in ${file}`);
  }
}, 30_000);

afterAll(async () => {
  lock?.release();
  attack?.cleanup();
});

/** Everything no tool output may contain. */
function secrets(): string[] {
  const { paths } = attack;
  return [
    app().token,
    ...Object.values(attack.markers),
    readFileSync(paths.secretsFile, "latin1").slice(0, 40),
    readFileSync(`${paths.secretsFile}.key`, "latin1").slice(0, 40),
  ];
}

function expectNoSecret(text: string): void {
  for (const secret of secrets()) expect(text).not.toContain(secret);
}

async function createAgent(name: string, workspace?: string) {
  return app().api<{ id: string; error?: { message: string; field?: string } }>("/api/agents", {
    json: { name, ...(workspace === undefined ? {} : { workspace }) },
  });
}

async function runTool(agentId: string, tool: string, input: unknown): Promise<ToolRunResult> {
  const { status, body } = await app().api<ToolRunResult>(`/api/tools/${tool}/run`, {
    json: { agentId, input },
  });
  expect(status).toBe(200);
  return body;
}

describe("where a workspace is set, forbidden places are refused with the reason", () => {
  test("/, $HOME, a folder containing $HOME, system folders, Sage's folders, credential folders", async () => {
    const { home, paths } = attack;
    const refused: Array<[string, RegExp]> = [
      ["/", /whole file system/],
      [home, /home folder itself/],
      [`${home}/`, /home folder itself/],
      [join(home, ".."), /contains your home folder/],
      ["/etc", /system folder/],
      ["/usr/local/lib", /system folder/],
      ["/opt", /system folder/],
      [paths.data, /Sage's own folder/],
      [join(paths.data, "skills"), /Sage's own folder/],
      [paths.workspaces, /Sage's own folder/],
      [paths.config, /Sage's own folder/],
      [paths.state, /Sage's own folder/],
      [join(home, ".ssh"), /holds credentials/],
      [join(home, ".aws", "sub"), /holds credentials/],
    ];
    for (const [index, [workspace, reason]] of refused.entries()) {
      const { status, body } = await createAgent(`Refused ${index}`, workspace);
      expect({ workspace, status }).toEqual({ workspace, status: 400 });
      expect(body.error?.field).toBe("workspace");
      expect(body.error?.message).toMatch(reason);
    }
  });

  test("a symlink to a forbidden folder is the folder", async () => {
    const link = join(attack.home, "projects", "innocent");
    symlinkSync(join(attack.home, ".ssh"), link);
    try {
      const { status, body } = await createAgent("Through a link", link);
      expect(status).toBe(400);
      expect(body.error?.message).toMatch(/holds credentials/);
    } finally {
      rmSync(link);
    }
  });

  test("folders of one's own are fine: inside $HOME, a parent of Sage's data, inside Sage's workspaces", async () => {
    const { home, paths } = attack;
    for (const [index, workspace] of [
      join(home, "projects", "site"),
      join(home, ".local"),
      join(paths.workspaces, "shared-notes"),
    ].entries()) {
      const { status } = await createAgent(`Allowed ${index}`, workspace);
      expect({ workspace, status }).toEqual({ workspace, status: 200 });
    }
  });

  test("an agent file with workspace $HOME is refused, not imported with it silently", async () => {
    const content = `format: sage.agent.v1\nagent:\n  name: Hostile import\n  workspace: ${attack.home}\n  approvals: { shell: allow, write_file: allow }\n`;
    const { status, body } = await app().api<{ error?: { message: string } }>("/api/agents/import", {
      json: { content },
    });
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/home folder itself/);
    const names = app()
      .running.backend.context.agents.list()
      .map((agent) => agent.config.name);
    expect(names).not.toContain("Hostile import");
  });

  test("a $HOME workspace stored before the rule (planted in the database) is refused when a tool runs", async () => {
    const { body } = await createAgent("Planted");
    const config = { ...app().running.backend.context.agents.get(body.id).config, workspace: attack.home };
    app()
      .running.backend.context.db.query("UPDATE agents SET config = ? WHERE id = ?")
      .run(JSON.stringify(config), body.id);
    const { status, body: refusal } = await app().api<{ error?: { message: string } }>(
      "/api/tools/read_file/run",
      { json: { agentId: body.id, input: { path: ".ssh/id_rsa" } } },
    );
    expect(status).toBe(400);
    expect(refusal.error?.message).toMatch(/cannot work in .*home folder itself/);
    expectNoSecret(JSON.stringify(refusal));
  });
});

describe("a workspace containing Sage's data folder (~/.local) cannot reach it", () => {
  let agentId: string;
  beforeAll(async () => {
    const { status, body } = await createAgent("Parent of data", join(attack.home, ".local"));
    expect(status).toBe(200);
    agentId = body.id;
  });

  test("read_file refuses sage.lock, secrets.enc, secrets.enc.key and the logs, by any spelling", async () => {
    const { paths } = attack;
    const local = join(attack.home, ".local");
    const targets = [
      "share/sage/sage.lock",
      "share/sage/secrets.enc",
      "share/sage/secrets.enc.key",
      "share/sage/sage.db",
      "./share/../share/sage/sage.lock",
      paths.lockFile,
      relative(local, join(paths.logs, "sage.log")),
    ];
    for (const path of targets) {
      const result = await runTool(agentId, "read_file", { path });
      expect({ path, status: result.status }).toEqual({ path, status: "error" });
      expect(result.error).toMatch(/keeps private from tools/);
      expectNoSecret(`${result.text}${result.error}`);
    }
  });

  test("write_file and edit_file cannot plant or change anything in it", async () => {
    const write = await runTool(agentId, "write_file", {
      path: "share/sage/skills/evil/SKILL.md",
      content: "x",
    });
    expect(write.status).toBe("error");
    expect(existsSync(join(attack.paths.skills, "evil"))).toBe(false);
    const edit = await runTool(agentId, "edit_file", {
      path: "share/sage/sage.lock",
      old_string: "token",
      new_string: "nope",
    });
    expect(edit.status).toBe("error");
    expect(readFileSync(attack.paths.lockFile, "utf8")).toContain(app().token);
  });

  test("list_dir, glob and grep over the workspace do not reveal it", async () => {
    const listing = await runTool(agentId, "list_dir", { path: ".", depth: 5 });
    expect(listing.status).toBe("completed");
    expect(listing.text).toContain("share/");
    for (const name of ["sage.lock", "secrets.enc", "sage.db", "sage/", "logs"]) {
      expect(listing.text).not.toContain(name);
    }
    const inside = await runTool(agentId, "list_dir", { path: "share/sage" });
    expect(inside.status).toBe("error");
    const glob = await runTool(agentId, "glob", { pattern: "**/*" });
    expect(glob.text).not.toContain("sage.lock");
    expect(glob.text).not.toContain("secrets.enc");
    const grep = await runTool(agentId, "grep", { pattern: app().token.slice(0, 12) });
    expect(grep.text).toMatch(/No matches/i);
    expectNoSecret(`${listing.text}${glob.text}`);
  });
});

describe("a workspace containing a credential folder (~/.config) cannot reach it", () => {
  test("gcloud's credentials and Sage's config are refused and not listed", async () => {
    const { status, body } = await createAgent("Parent of config", join(attack.home, ".config"));
    expect(status).toBe(200);
    const read = await runTool(body.id, "read_file", { path: "gcloud/credentials.db" });
    expect(read.status).toBe("error");
    const listing = await runTool(body.id, "list_dir", { path: ".", depth: 3 });
    expect(listing.text).not.toContain("gcloud");
    expect(listing.text).not.toContain("sage");
    expectNoSecret(`${read.text}${read.error}${listing.text}`);
  });
});

describe("with the location rule bypassed, the confinement still hides them ($HOME as the root)", () => {
  function homeContext(): ToolContext {
    const workspace = createWorkspace(attack.home, {
      hidden: protectedPaths(attack.paths, DEFAULT_CREDENTIAL_FOLDERS),
    });
    return {
      signal: new AbortController().signal,
      workspace,
      sessionId: "s",
      agentId: "a",
      turnId: "t",
      callId: "c",
      progress: () => {},
      ask: async () => null,
      services: {},
    };
  }

  async function attempt(tool: AnyTool, input: unknown): Promise<string> {
    try {
      const result = await tool.execute(input as never, homeContext());
      return `completed: ${result.text}`;
    } catch (error) {
      return `refused: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  test("read_file refuses ~/.ssh/id_rsa, the lock file and the key store", async () => {
    for (const path of [
      ".ssh/id_rsa",
      ".aws/credentials",
      ".local/share/sage/sage.lock",
      ".local/share/sage/secrets.enc",
      ".local/share/sage/secrets.enc.key",
      join(attack.home, ".ssh", "id_rsa"),
    ]) {
      const outcome = await attempt(readFileTool as AnyTool, { path });
      expect(outcome).toStartWith("refused:");
      expectNoSecret(outcome);
    }
  });

  test("write_file cannot add a key to ~/.ssh/authorized_keys", async () => {
    const outcome = await attempt(writeFileTool as AnyTool, {
      path: ".ssh/authorized_keys",
      content: "ssh-ed25519 AAAA attacker",
    });
    expect(outcome).toStartWith("refused:");
    expect(existsSync(join(attack.home, ".ssh", "authorized_keys"))).toBe(false);
  });

  test("list_dir, glob and grep over $HOME reveal neither", async () => {
    const listing = await attempt(listDirTool as AnyTool, { path: ".", depth: 6 });
    expect(listing).toStartWith("completed:");
    expect(listing).toContain("projects/");
    for (const name of [".ssh", ".aws", "id_rsa", "sage.lock", "secrets.enc", "gcloud"]) {
      expect(listing).not.toContain(name);
    }
    const glob = await attempt(globTool as AnyTool, { pattern: "**/*" });
    for (const name of ["id_rsa", "sage.lock", "secrets.enc", "credentials"])
      expect(glob).not.toContain(name);
    for (const needle of [app().token.slice(0, 12), "fake-ssh-key", "fake-aws"]) {
      const grep = await attempt(grepTool as AnyTool, { pattern: needle });
      expect(grep).toMatch(/No matches/i);
    }
    expectNoSecret(`${listing}${glob}`);
  });
});
