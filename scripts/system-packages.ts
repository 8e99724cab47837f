/**
 * The Debian/Ubuntu packages the tests need: Chromium (Playwright, browser tools), Xvfb and xdotool
 * (the real window), WebKitGTK 6 and Vulkan's loader (the window), bubblewrap (the shell sandbox), slirp4netns (the
 * sandbox's "internet only" network), gnome-keyring and dbus (keychain tests; private session buses for the
 * desktop tests, whose fake notification, tray and portal services are written in the tests),
 * desktop-file-utils (validating `sage --install`'s entry), xfce4-panel (a real tray host under Xvfb).
 * Missing ones are installed with apt-get when we may (root, or passwordless
 * sudo); otherwise the list of what to install is printed and the run stops.
 */
import { existsSync } from "node:fs";

interface Requirement {
  package: string;
  present(): boolean;
}

const has = (command: string) => Bun.which(command) !== null;
const lib = (name: string) =>
  ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"].some((dir) =>
    existsSync(`${dir}/${name}`),
  );

export const REQUIREMENTS: Requirement[] = [
  { package: "chromium", present: () => existsSync("/usr/bin/chromium") },
  { package: "xvfb", present: () => has("Xvfb") },
  { package: "xdotool", present: () => has("xdotool") },
  { package: "x11-apps", present: () => has("xwd") },
  { package: "libwebkitgtk-6.0-4", present: () => lib("libwebkitgtk-6.0.so.4") },
  // The webview library links Vulkan directly; WebKitGTK does not pull it in without recommends.
  { package: "libvulkan1", present: () => lib("libvulkan.so.1") },
  { package: "bubblewrap", present: () => has("bwrap") },
  { package: "slirp4netns", present: () => has("slirp4netns") },
  { package: "gnome-keyring", present: () => has("gnome-keyring-daemon") },
  { package: "dbus-x11", present: () => has("dbus-launch") },
  { package: "libsecret-tools", present: () => has("secret-tool") },
  { package: "desktop-file-utils", present: () => has("desktop-file-validate") },
  // A real tray host (its systray plugin speaks StatusNotifierItem) for the tray icon's screenshot test.
  { package: "xfce4-panel", present: () => has("xfce4-panel") },
  { package: "fonts-noto-cjk", present: () => existsSync("/usr/share/fonts/opentype/noto") },
];

export async function ensureSystemPackages(): Promise<void> {
  const missing = REQUIREMENTS.filter((r) => !r.present()).map((r) => r.package);
  if (missing.length === 0) {
    console.log("system packages: all present");
    return;
  }
  const root = process.getuid?.() === 0;
  const sudo = !root && has("sudo") ? ["sudo", "-n"] : [];
  if (!has("apt-get") || (!root && sudo.length === 0)) {
    throw new Error(
      `Missing system packages: ${missing.join(" ")}. Install them with: sudo apt-get install ${missing.join(" ")}`,
    );
  }
  console.log(`installing system packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const command of [
    [...sudo, "apt-get", "update", "-qq"],
    [...sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing],
  ]) {
    const child = Bun.spawn(command, { stdio: ["ignore", "inherit", "inherit"], env });
    if ((await child.exited) !== 0)
      throw new Error(`${command.join(" ")} failed; install manually: ${missing.join(" ")}`);
  }
}
