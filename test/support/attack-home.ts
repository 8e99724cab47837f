/**
 * Test helper: a user's home as an attacker finds it, for the security tests of the sandbox and the
 * file tools.
 *
 * It lies under /var/tmp, NOT /tmp: the sandbox replaces /tmp with an empty tmpfs, so a home (or a
 * data folder) under /tmp would pass every "cannot read it" test for the wrong reason. Sage's folders
 * are the real default XDG layout of that home (`~/.local/share/sage`, `~/.config/sage`,
 * `~/.local/state/sage`), not a `--data-dir`.
 *
 * Planted: `~/.ssh/id_rsa`, `~/.aws/credentials`, `~/.config/gcloud/credentials.db` with marker
 * contents; a runtime folder (`$XDG_RUNTIME_DIR`) with a listening Unix socket `bus`; an abstract
 * Unix socket. Both listeners count the connections they accept, so a test can prove from outside
 * that a sandboxed command never reached them.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Paths, resolvePaths } from "../../src/core/paths.ts";

export interface AttackHome {
  /** The fake $HOME (real path, outside /tmp). */
  home: string;
  /** Sage's folders in that home, default XDG layout. */
  paths: Paths;
  /** The fake $XDG_RUNTIME_DIR with the socket `bus`. */
  runtimeDir: string;
  runtimeSocket: string;
  /** Name of the abstract socket (without the leading NUL). */
  abstractName: string;
  /** Marker contents of the planted credentials, none of which may ever show up in tool output. */
  markers: { sshKey: string; aws: string; gcloud: string };
  runtimeConnections(): number;
  abstractConnections(): number;
  cleanup(): void;
}

function listenCounting(unix: string): { count(): number; stop(): void } {
  let connections = 0;
  const server = Bun.listen({
    unix,
    socket: {
      open(socket) {
        connections += 1;
        socket.write("hello from a host socket\n");
      },
      data() {},
    },
  });
  return { count: () => connections, stop: () => server.stop(true) };
}

export function createAttackHome(): AttackHome {
  const base = mkdtempSync("/var/tmp/sage-attack-");
  const home = join(base, "home");
  const paths = resolvePaths({ HOME: home });
  const tag = `${process.pid}-${Date.now()}`;
  const markers = {
    sshKey: `-----BEGIN OPENSSH PRIVATE KEY----- fake-ssh-key-${tag}`,
    aws: `aws_secret_access_key = fake-aws-${tag}`,
    gcloud: `fake-gcloud-refresh-token-${tag}`,
  };
  mkdirSync(join(home, ".ssh"), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, ".ssh", "id_rsa"), `${markers.sshKey}\n`, { mode: 0o600 });
  mkdirSync(join(home, ".aws"), { recursive: true });
  writeFileSync(join(home, ".aws", "credentials"), `[default]\n${markers.aws}\n`);
  mkdirSync(join(home, ".config", "gcloud"), { recursive: true });
  writeFileSync(join(home, ".config", "gcloud", "credentials.db"), `${markers.gcloud}\n`);
  mkdirSync(join(home, "projects"), { recursive: true });

  const runtimeDir = join(base, "run-user");
  mkdirSync(runtimeDir, { mode: 0o700 });
  chmodSync(runtimeDir, 0o700);
  const runtimeSocket = join(runtimeDir, "bus");
  const runtime = listenCounting(runtimeSocket);
  const abstractName = `sage-attack-${tag}`;
  const abstract = listenCounting(`\0${abstractName}`);

  return {
    home,
    paths,
    runtimeDir,
    runtimeSocket,
    abstractName,
    markers,
    runtimeConnections: runtime.count,
    abstractConnections: abstract.count,
    cleanup() {
      runtime.stop();
      abstract.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * A shell snippet that tries to connect to a Unix socket (`path`, or an abstract name when it starts
 * with "@") from inside the sandbox, using the Bun that runs the tests (visible read-only there), and
 * prints `CONNECTED` or `REFUSED <reason>`.
 */
export function connectUnixCommand(path: string): string {
  const target = path.startsWith("@") ? `\\0${path.slice(1)}` : path;
  const script = `const s=require("node:net").connect({path:"${target}"});s.on("connect",()=>{console.log("CONNECTED");process.exit(0)});s.on("error",e=>{console.log("REFUSED "+e.code);process.exit(0)});setTimeout(()=>{console.log("REFUSED timeout");process.exit(0)},3000)`;
  return `'${process.execPath}' -e '${script}'`;
}
