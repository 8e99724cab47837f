/**
 * `bun run package`: the installable forms of the Linux x64 build, in dist/:
 * - `sage_<version>_amd64.deb`: /usr/bin/sage, the desktop entry (menu, sage: links) and the icons;
 *   depends on WebKitGTK 6 and the Vulkan loader (the window), recommends bubblewrap (shell sandbox)
 *   and chromium (browser tools);
 * - `sage-<version>-linux-x64.tar.gz`: the executable, desktop entry and icon in one folder (portable:
 *   run `./sage`, or `./sage --install` for the menu entry);
 * - `SHA256SUMS` over both.
 * The version comes from package.json. Builds dist/sage first when it is missing (or with --build).
 * Not made: an AppImage. One is the AppImage runtime (an ELF stub that mounts the squashfs appended to
 * it) plus the app's squashfs. Debian packages mksquashfs (squashfs-tools) and libappimage (a library
 * for *handling* AppImages) but neither the runtime nor appimagetool; the npm AppImage makers download
 * the runtime from its project's releases at build time, which the build may not do. A stub of our own
 * would only look like an AppImage. The tar.gz is the portable form (one self-contained executable).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { desktopEntryText } from "../src/desktop/desktop-entry.ts";

const root = resolve(import.meta.dir, "..");
const dist = join(root, "dist");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
const executable = join(dist, "sage");
const icons = join(root, "src", "desktop", "assets");

function run(command: string[], cwd = root): void {
  const result = Bun.spawnSync(command, { cwd, stdout: "inherit", stderr: "inherit" });
  if (result.exitCode !== 0) throw new Error(`${command.join(" ")} failed (${result.exitCode})`);
}

function place(from: string, to: string, mode = 0o644): void {
  mkdirSync(join(to, ".."), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, mode);
}

if (process.argv.includes("--build") || !existsSync(executable))
  run([process.execPath, join(root, "scripts", "build.ts")]);

const staging = join(dist, "package-staging");
rmSync(staging, { recursive: true, force: true });

// .deb
const debRoot = join(staging, "deb");
place(executable, join(debRoot, "usr", "bin", "sage"), 0o755);
mkdirSync(join(debRoot, "usr", "share", "applications"), { recursive: true });
writeFileSync(join(debRoot, "usr", "share", "applications", "sage.desktop"), desktopEntryText("sage"));
place(
  join(icons, "sage-icon.png"),
  join(debRoot, "usr", "share", "icons", "hicolor", "256x256", "apps", "sage.png"),
);
place(
  join(icons, "sage-icon.svg"),
  join(debRoot, "usr", "share", "icons", "hicolor", "scalable", "apps", "sage.svg"),
);
const installedKiB = Math.ceil(
  (Bun.file(executable).size +
    Bun.file(join(icons, "sage-icon.png")).size +
    Bun.file(join(icons, "sage-icon.svg")).size) /
    1024,
);
mkdirSync(join(debRoot, "DEBIAN"), { recursive: true });
writeFileSync(
  join(debRoot, "DEBIAN", "control"),
  [
    "Package: sage",
    `Version: ${version}`,
    "Architecture: amd64",
    "Maintainer: Sage <sage@localhost>",
    "Section: utils",
    "Priority: optional",
    `Installed-Size: ${installedKiB}`,
    "Depends: libwebkitgtk-6.0-4, libvulkan1",
    "Recommends: bubblewrap, chromium",
    "Description: local-first AI agent workbench",
    " Sage runs an AI agent of your choosing on your own machine: it works on files in a",
    " workspace, runs shell commands, reads the web and drives a browser, in a desktop window.",
    "",
  ].join("\n"),
);
const deb = join(dist, `sage_${version}_amd64.deb`);
run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", debRoot, deb]);

// tar.gz
const folder = `sage-${version}-linux-x64`;
const tarRoot = join(staging, "tar", folder);
place(executable, join(tarRoot, "sage"), 0o755);
writeFileSync(join(tarRoot, "sage.desktop"), desktopEntryText("sage"));
place(join(icons, "sage-icon.png"), join(tarRoot, "sage.png"));
const tarball = join(dist, `${folder}.tar.gz`);
run(["tar", "-czf", tarball, "-C", join(staging, "tar"), folder]);

rmSync(staging, { recursive: true, force: true });
const sums = [deb, tarball].map((file) => {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(readFileSync(file));
  return `${hasher.digest("hex")}  ${basename(file)}`;
});
writeFileSync(join(dist, "SHA256SUMS"), `${sums.join("\n")}\n`);
console.log(`packaged ${version}:\n  ${deb}\n  ${tarball}\n  ${join(dist, "SHA256SUMS")}`);
