/**
 * `bun run package` (scripts/package.ts): the .deb carries the binary, a valid desktop entry and the
 * icons, depends on WebKitGTK and the Vulkan loader and recommends bubblewrap and chromium, with the
 * version from package.json; the tar.gz holds the executable; SHA256SUMS matches both. (Installing the
 * .deb with dpkg is CI's job: scripts/check-package.sh.)
 */
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";

const text = (command: string[]) => {
  const result = Bun.spawnSync(command, { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`${command.join(" ")}: ${result.stderr.toString()}`);
  return result.stdout.toString();
};

test("the .deb, the tar.gz and their checksums", async () => {
  await ensureExecutable();
  text([process.execPath, join(REPO_ROOT, "scripts", "package.ts")]);
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
    .version;
  const deb = join(REPO_ROOT, "dist", `sage_${version}_amd64.deb`);
  const tarball = join(REPO_ROOT, "dist", `sage-${version}-linux-x64.tar.gz`);

  const info = text(["dpkg-deb", "--info", deb]);
  expect(info).toContain(`Version: ${version}`);
  expect(info).toContain("Depends: libwebkitgtk-6.0-4, libvulkan1");
  expect(info).toContain("Recommends: bubblewrap, chromium");
  const contents = text(["dpkg-deb", "--contents", deb]);
  expect(contents).toMatch(/-rwxr-xr-x root\/root\s+\d+ .* \.\/usr\/bin\/sage\n/);
  for (const path of [
    "./usr/share/applications/sage.desktop",
    "./usr/share/icons/hicolor/256x256/apps/sage.png",
    "./usr/share/icons/hicolor/scalable/apps/sage.svg",
  ])
    expect(contents).toContain(path);

  const extracted = mkdtempSync(join(tmpdir(), "sage-deb-"));
  text(["dpkg-deb", "-x", deb, extracted]);
  const entry = join(extracted, "usr", "share", "applications", "sage.desktop");
  expect(readFileSync(entry, "utf8")).toContain("Exec=sage %u");
  expect(text(["desktop-file-validate", entry])).toBe("");
  expect(text([join(extracted, "usr", "bin", "sage"), "--version"]).trim()).toBe(`Sage ${version}`);

  expect(text(["tar", "-tzf", tarball]).split("\n")).toContain(`sage-${version}-linux-x64/sage`);
  const sums = readFileSync(join(REPO_ROOT, "dist", "SHA256SUMS"), "utf8");
  const check = Bun.spawnSync(["sha256sum", "-c", "SHA256SUMS"], {
    cwd: join(REPO_ROOT, "dist"),
    stdout: "pipe",
  });
  expect(check.exitCode).toBe(0);
  expect(sums.split("\n").filter(Boolean)).toHaveLength(2);
}, 180_000);
