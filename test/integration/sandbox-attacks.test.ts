/**
 * Attacks from inside the shell sandbox, against a real Sage (real HTTP server, real SQLite, real
 * bubblewrap and slirp4netns) whose folders are the default XDG layout of a test home outside /tmp
 * (test/support/attack-home.ts): a sandboxed command tries to call Sage's own port, a host Unix socket
 * under $XDG_RUNTIME_DIR, an abstract Unix socket, and to read ~/.ssh/id_rsa, ~/.aws/credentials and
 * Sage's data folder (the lock file with the live token, the key store). Commands run through the
 * tools API, exactly as an agent's would (same workspace, same sandbox wiring).
 *
 * Each network mode is tried. "host" is the documented unsafe mode: the tests show it does reach the
 * computer's services, which also proves each probe would notice a reachable target.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import type { NetworkMode } from "../../src/shared/agent.ts";
import type { ToolRunResult } from "../../src/shared/tools-api.ts";
import { acquireInstanceLock, type InstanceLock } from "../../src/shell/single-instance.ts";
import { type AttackHome, connectUnixCommand, createAttackHome } from "../support/attack-home.ts";
import { useBackend } from "../support/backend.ts";

let attack: AttackHome;
let lock: InstanceLock;
const agents = new Map<NetworkMode, string>();
const savedRuntimeDir = process.env.XDG_RUNTIME_DIR;

beforeAll(async () => {
  attack = createAttackHome();
  // The app's runtime folder, as a desktop session sets it (read by the sandbox wiring).
  process.env.XDG_RUNTIME_DIR = attack.runtimeDir;
});
const app = useBackend(() => ({ paths: attack.paths }));
beforeAll(async () => {
  // What `sage --serve` does once listening: the lock file records pid, port and the live token.
  const acquired = await acquireInstanceLock(attack.paths.lockFile, "serve");
  if (!acquired.acquired) throw new Error("the test's data folder is locked by another process");
  lock = acquired.lock;
  lock.ready(Number(new URL(app().url).port), "127.0.0.1", app().token);
  for (const network of ["isolated", "internet", "host"] as const) {
    const { status, body } = await app().api<{ id: string }>("/api/agents", {
      json: { name: `Attacker (${network})`, network },
    });
    if (status !== 200) throw new Error(`creating the ${network} agent answered ${status}`);
    agents.set(network, body.id);
  }
}, 30_000);

afterAll(async () => {
  lock?.release();
  attack?.cleanup();
  if (savedRuntimeDir === undefined) delete process.env.XDG_RUNTIME_DIR;
  else process.env.XDG_RUNTIME_DIR = savedRuntimeDir;
});

async function shell(network: NetworkMode, command: string): Promise<string> {
  const { status, body } = await app().api<ToolRunResult>("/api/tools/shell/run", {
    json: { agentId: agents.get(network), input: { command, timeout_ms: 20_000 } },
  });
  expect(status).toBe(200);
  return `${body.text}\n${body.error ?? ""}`;
}

function sagePort(): number {
  return Number(new URL(app().url).port);
}

/**
 * A bash probe of a TCP address: prints an HTTP status line when something answered. A dropped SYN
 * (slirp4netns refusing the host's loopback) would hang a plain connect for minutes: 5 s at most.
 */
function httpProbe(host: string, port: number): string {
  const request = `printf "GET /api/health HTTP/1.0\\r\\nHost: 127.0.0.1:${port}\\r\\n\\r\\n" >&3`;
  return `timeout 5 bash -c 'exec 3<>/dev/tcp/${host}/${port} && ${request} && cat <&3' 2>&1; echo "probe-done"`;
}

test("the setup is the real thing: bubblewrap, slirp4netns, a home outside /tmp", async () => {
  const status = await app().running.backend.context.sandbox();
  expect(status.mode).toBe("bubblewrap");
  expect(status.internet?.available).toBe(true);
  expect(attack.paths.data).toBe(join(attack.home, ".local", "share", "sage"));
  expect(attack.home.startsWith("/tmp/")).toBe(false);
  // What the attacks below go after really is there, outside the sandbox.
  for (const file of [attack.paths.lockFile, attack.paths.database, attack.paths.secretsFile]) {
    expect(existsSync(file)).toBe(true);
  }
  expect(readFileSync(attack.paths.lockFile, "utf8")).toContain(app().token);
});

describe("a sandboxed command cannot reach Sage's own port", () => {
  for (const network of ["isolated", "internet"] as const) {
    test(`network "${network}": 127.0.0.1:<sage port> does not answer`, async () => {
      const output = await shell(network, httpProbe("127.0.0.1", sagePort()));
      expect(output).toContain("probe-done");
      expect(output).not.toMatch(/HTTP\/1\.[01] \d{3}/);
    });
  }

  test(`network "internet": nor through slirp's alias of the host (10.0.2.2)`, async () => {
    const output = await shell("internet", httpProbe("10.0.2.2", sagePort()));
    expect(output).toContain("probe-done");
    expect(output).not.toMatch(/HTTP\/1\.[01] \d{3}/);
  });

  test(`network "host" (the documented unsafe mode) does reach it, so the probe works`, async () => {
    const output = await shell("host", httpProbe("127.0.0.1", sagePort()));
    expect(output).toMatch(/HTTP\/1\.[01] 401/);
  });
});

describe('network "internet" reaches the outside', () => {
  const outsideAddress = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

  test.skipIf(outsideAddress === undefined)(
    "a server on this machine's network address (not loopback) answers; isolated does not",
    async () => {
      let accepted = 0;
      const server = Bun.listen({
        hostname: outsideAddress as string,
        port: 0,
        socket: {
          open() {
            accepted += 1;
          },
          data(socket) {
            socket.end("HTTP/1.0 204 No Content\r\n\r\n");
          },
        },
      });
      try {
        const internet = await shell("internet", httpProbe(outsideAddress as string, server.port));
        expect(internet).toMatch(/HTTP\/1\.0 204/);
        const before = accepted;
        const isolated = await shell("isolated", httpProbe(outsideAddress as string, server.port));
        expect(isolated).not.toMatch(/HTTP\/1\.0 204/);
        expect(accepted).toBe(before);
      } finally {
        server.stop(true);
      }
    },
  );

  test("names resolve through slirp4netns' forwarder, whatever the host's resolver is", async () => {
    const output = await shell("internet", "cat /etc/resolv.conf");
    expect(output).toContain("nameserver 10.0.2.3");
    expect(output).not.toMatch(/nameserver (?!10\.0\.2\.3)/);
  });
});

describe("a sandboxed command cannot use the host's Unix sockets", () => {
  for (const network of ["isolated", "internet", "host"] as const) {
    test(`network "${network}": the socket under $XDG_RUNTIME_DIR is gone`, async () => {
      const before = attack.runtimeConnections();
      const output = await shell(
        network,
        `ls -A '${attack.runtimeDir}'; ${connectUnixCommand(attack.runtimeSocket)}`,
      );
      expect(output).toContain("REFUSED");
      expect(output).not.toContain("CONNECTED");
      expect(output).not.toContain("bus");
      expect(attack.runtimeConnections()).toBe(before);
    });
  }

  for (const network of ["isolated", "internet"] as const) {
    test(`network "${network}": an abstract socket cannot be reached`, async () => {
      const before = attack.abstractConnections();
      const output = await shell(network, connectUnixCommand(`@${attack.abstractName}`));
      expect(output).toContain("REFUSED");
      expect(attack.abstractConnections()).toBe(before);
    });
  }

  test(`network "host" (unsafe) shares abstract sockets, so the probe works`, async () => {
    const before = attack.abstractConnections();
    const output = await shell("host", connectUnixCommand(`@${attack.abstractName}`));
    expect(output).toContain("CONNECTED");
    expect(attack.abstractConnections()).toBeGreaterThan(before);
  });
});

describe("a sandboxed command cannot read credentials or Sage's data folder (real default location)", () => {
  test("~/.ssh/id_rsa, ~/.aws/credentials, ~/.config/gcloud are empty or missing", async () => {
    const { home, markers } = attack;
    const output = await shell(
      "internet",
      [
        `ls -A '${home}/.ssh' '${home}/.aws' '${home}/.config/gcloud'`,
        `cat '${home}/.ssh/id_rsa' '${home}/.aws/credentials' '${home}/.config/gcloud/credentials.db'`,
        "echo done",
      ].join("; "),
    );
    expect(output).toContain("done");
    for (const marker of Object.values(markers)) expect(output).not.toContain(marker);
    expect(output).not.toContain("id_rsa\n");
  });

  test("~/.local/share/sage (lock file with the token, key store, database) shows empty", async () => {
    const { paths } = attack;
    const listing = await shell("host", `ls -A '${paths.data}' '${paths.config}' '${paths.state}'`);
    expect(listing).toContain(`${paths.data}:\nworkspaces\n`); // only the mount point of the workspace
    for (const name of ["sage.lock", "sage.db", "secrets.enc", "logs", "skills"]) {
      expect(listing).not.toContain(name);
    }
    const reading = await shell(
      "host",
      [
        `cat '${paths.lockFile}' '${paths.secretsFile}' '${paths.secretsFile}.key' '${paths.database}'`,
        `grep -ral '${app().token}' '${attack.home}' 2>/dev/null`,
        "echo done",
      ].join("; "),
    );
    expect(reading).toContain("done");
    expect(reading).not.toContain(app().token);
    expect(reading).toContain("sage.lock: No such file or directory");
    expect(reading).not.toContain("SQLite format");
  });

  test("the agent's own workspace inside the data folder stays usable", async () => {
    const output = await shell("isolated", "echo made-here > proof.txt && cat proof.txt && pwd");
    expect(output).toContain("made-here");
    expect(output).toContain(join(attack.paths.workspaces));
  });
});

test("the lock file holding the token is 0600", () => {
  expect(statSync(attack.paths.lockFile).mode & 0o777).toBe(0o600);
});
