/**
 * The pieces behind "no tool reaches Sage's secrets or the host's services": the hidden-path rule
 * shared by bubblewrap and the file tools, the credential folder list, the host socket scan, the
 * workspace location rule, and the sandbox's resolv.conf for the "internet" network mode.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { resolvePaths } from "../../src/core/paths.ts";
import { buildBubblewrapArgs } from "../../src/sandbox/bubblewrap.ts";
import { findSockets, hostSocketPaths } from "../../src/sandbox/host-sockets.ts";
import { bubblewrapNetworkArgs, sandboxResolvConf } from "../../src/sandbox/network.ts";
import { credentialPaths, isHiddenPath, protectedPaths } from "../../src/sandbox/protected-paths.ts";
import {
  DEFAULT_CREDENTIAL_FOLDERS,
  expandCredentialFolder,
  isCredentialFolderEntry,
} from "../../src/shared/credential-folders.ts";
import { forbiddenWorkspaceReason, workspaceRulesFor } from "../../src/workspace/workspace-location.ts";

const scratch = mkdtempSync("/var/tmp/sage-protected-unit-");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("isHiddenPath: the deepest of the hidden paths and the workspace decides", () => {
  const hidden = ["/h/.local/share/sage", "/h/.ssh"];

  test("hidden paths and everything inside them are hidden", () => {
    expect(isHiddenPath("/h/.ssh", hidden)).toBe(true);
    expect(isHiddenPath("/h/.ssh/id_rsa", hidden)).toBe(true);
    expect(isHiddenPath("/h/.local/share/sage/sage.lock", hidden, "/h/.local")).toBe(true);
    expect(isHiddenPath("/h/.sshx", hidden)).toBe(false);
    expect(isHiddenPath("/h/.local/share", hidden, "/h/.local")).toBe(false);
  });

  test("a workspace inside a hidden folder stays usable, the rest of the folder does not", () => {
    const workspace = "/h/.local/share/sage/workspaces/agt_1";
    expect(isHiddenPath(`${workspace}/notes.md`, hidden, workspace)).toBe(false);
    expect(isHiddenPath(workspace, hidden, workspace)).toBe(false);
    expect(isHiddenPath("/h/.local/share/sage/workspaces/agt_2/x", hidden, workspace)).toBe(true);
  });

  test("a hidden folder inside the workspace stays hidden; a hidden path equal to it hides it", () => {
    expect(isHiddenPath("/h/.ssh/id_rsa", hidden, "/h")).toBe(true);
    expect(isHiddenPath("/h/.ssh/id_rsa", hidden, "/h/.ssh")).toBe(true);
  });
});

describe("credential folders", () => {
  test("the default list covers the usual keys, tokens and cookie stores, and every entry is valid", () => {
    for (const entry of ["~/.ssh", "~/.gnupg", "~/.aws", "~/.kube", "~/.docker", "~/.netrc", "~/.mozilla"]) {
      expect(DEFAULT_CREDENTIAL_FOLDERS).toContain(entry);
    }
    for (const entry of DEFAULT_CREDENTIAL_FOLDERS) expect(isCredentialFolderEntry(entry)).toBe(true);
  });

  test("entries are ~, ~/x or absolute; anything else names nothing", () => {
    expect(expandCredentialFolder("~/.ssh", "/home/u")).toBe("/home/u/.ssh");
    expect(expandCredentialFolder("~", "/home/u")).toBe("/home/u");
    expect(expandCredentialFolder("/srv/keys", "/home/u")).toBe("/srv/keys");
    expect(expandCredentialFolder("keys", "/home/u")).toBeUndefined();
    expect(isCredentialFolderEntry("relative/keys")).toBe(false);
    expect(isCredentialFolderEntry("~user/keys")).toBe(false);
    expect(credentialPaths(["~/.ssh", "nope", "~/.ssh/"], "/home/u")).toEqual(["/home/u/.ssh"]);
  });

  test("protectedPaths: Sage's data, config and state folders always, then the credentials", () => {
    const paths = resolvePaths({ HOME: "/home/u" });
    expect(protectedPaths(paths, ["~/.aws"])).toEqual([
      "/home/u/.local/share/sage",
      "/home/u/.config/sage",
      "/home/u/.local/state/sage",
      "/home/u/.aws",
    ]);
    expect(protectedPaths(paths, [])).toHaveLength(3);
  });
});

describe("host sockets", () => {
  test("the scan finds sockets in nested folders and skips folders hidden whole", () => {
    const root = join(scratch, "run");
    mkdirSync(join(root, "docker"), { recursive: true });
    mkdirSync(join(root, "user", "1000"), { recursive: true });
    const servers = [join(root, "docker", "docker.sock"), join(root, "user", "1000", "bus")].map((unix) =>
      Bun.listen({ unix, socket: { data() {} } }),
    );
    try {
      expect(findSockets(root, [join(root, "user")])).toEqual([join(root, "docker", "docker.sock")]);
      const hidden = hostSocketPaths({ env: { XDG_RUNTIME_DIR: join(root, "user", "1000") }, roots: [root] });
      expect(hidden).toContain(join(root, "user", "1000"));
      expect(hidden).toContain(join(root, "docker", "docker.sock"));
      expect(hidden).not.toContain(join(root, "user", "1000", "bus"));

      const workspace = join(scratch, "ws");
      mkdirSync(workspace, { recursive: true });
      const args = buildBubblewrapArgs({
        workspace,
        hiddenPaths: [],
        network: "isolated",
        hostSockets: hidden,
      });
      const at = args.indexOf(join(root, "docker", "docker.sock"));
      expect(args.slice(at - 2, at + 1)).toEqual([
        "--ro-bind",
        "/dev/null",
        join(root, "docker", "docker.sock"),
      ]);
      expect(args[args.indexOf(join(root, "user", "1000")) - 1]).toBe("--tmpfs");
    } finally {
      for (const server of servers) server.stop(true);
    }
  });

  test("a hidden path inside a folder hidden already is left out (no mount point on the tmpfs)", () => {
    const outer = join(scratch, "outer");
    const inner = join(outer, "inner");
    mkdirSync(inner, { recursive: true });
    const workspace = join(scratch, "ws2");
    mkdirSync(workspace, { recursive: true });
    const args = buildBubblewrapArgs({
      workspace,
      hiddenPaths: [outer, inner],
      network: "host",
      hostSockets: [],
    });
    expect(args).toContain(outer);
    expect(args).not.toContain(inner);
  });
});

describe("network modes", () => {
  test("isolated and internet get a network namespace of their own, host shares the computer's", () => {
    expect(bubblewrapNetworkArgs("isolated")).toEqual(["--unshare-net"]);
    expect(bubblewrapNetworkArgs("internet").slice(0, 1)).toEqual(["--unshare-net"]);
    expect(bubblewrapNetworkArgs("internet")).toContain("/etc/resolv.conf");
    expect(bubblewrapNetworkArgs("host")).toEqual([]);
  });

  test("the sandbox's resolv.conf names only slirp4netns' forwarder and keeps search and options", () => {
    const host =
      "# systemd-resolved\nnameserver 127.0.0.53\nnameserver ::1\noptions edns0 trust-ad\nsearch lan\n";
    expect(sandboxResolvConf(host)).toBe("nameserver 10.0.2.3\noptions edns0 trust-ad\nsearch lan\n");
  });
});

describe("workspace location rule", () => {
  const home = join(scratch, "home");
  const paths = resolvePaths({ HOME: home });
  const rules = workspaceRulesFor(paths, DEFAULT_CREDENTIAL_FOLDERS);
  mkdirSync(join(home, "projects"), { recursive: true });

  test("forbidden: /, home, its parents, system folders, Sage's and credential folders", () => {
    for (const path of ["/", home, scratch, "/etc", "/etc/x", "/usr", "/proc/1", "/run/user/1000", "/home"]) {
      expect({ path, refused: forbiddenWorkspaceReason(path, rules) !== undefined }).toEqual({
        path,
        refused: true,
      });
    }
    for (const path of [
      paths.data,
      join(paths.data, "skills"),
      paths.workspaces,
      paths.config,
      paths.state,
    ]) {
      expect(forbiddenWorkspaceReason(path, rules)).toMatch(/Sage's own folder/);
    }
    expect(forbiddenWorkspaceReason(join(home, ".gnupg", "x"), rules)).toMatch(/holds credentials/);
  });

  test("allowed: folders inside home (even ones that contain Sage's folders), Sage's workspaces, /tmp/x", () => {
    for (const path of [
      join(home, "projects"),
      join(home, ".local"),
      join(paths.workspaces, "a"),
      "/tmp/x",
      "/opt/x",
    ]) {
      expect({ path, reason: forbiddenWorkspaceReason(path, rules) }).toEqual({ path, reason: undefined });
    }
  });

  test("a home under a system tree still allows folders inside it; /root is a system folder unless it is home", () => {
    const serviceRules = workspaceRulesFor(resolvePaths({ HOME: "/var/lib/svc" }), []);
    expect(forbiddenWorkspaceReason("/var/lib/svc/work", serviceRules)).toBeUndefined();
    expect(forbiddenWorkspaceReason("/var/lib/other", serviceRules)).toMatch(/system folder/);
    expect(forbiddenWorkspaceReason("/root/x", rules)).toMatch(/system folder/);
    const rootRules = workspaceRulesFor(resolvePaths({ HOME: "/root" }), []);
    expect(forbiddenWorkspaceReason("/root/x", rootRules)).toBeUndefined();
    expect(forbiddenWorkspaceReason("/root", rootRules)).toMatch(/home folder itself/);
  });

  test("symlinks are followed: a link to /etc or to ~/.ssh is refused", () => {
    symlinkSync("/etc", join(home, "projects", "etc-link"));
    mkdirSync(join(home, ".ssh"), { recursive: true });
    symlinkSync(join(home, ".ssh"), join(home, "projects", "ssh-link"));
    expect(forbiddenWorkspaceReason(join(home, "projects", "ssh-link"), rules)).toMatch(/holds credentials/);
    expect(forbiddenWorkspaceReason(join(home, "projects", "etc-link", "x"), rules)).toMatch(/system folder/);
  });
});
