/**
 * Find a Chromium or Chrome already installed on the machine. Nothing is ever downloaded: when no
 * browser is found, the error says where we looked and how to install one.
 */
import { accessSync, constants, statSync } from "node:fs";

/** Where Debian, Ubuntu (deb and snap), Fedora and Google's packages put their browsers. */
export const defaultBrowserCandidates: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
];

export const browserInstallHint =
  "Install Chromium (Debian/Ubuntu: `sudo apt install chromium`; Fedora: `sudo dnf install chromium`), " +
  "or set SAGE_BROWSER to the path of a Chromium-based browser.";

export class BrowserNotFoundError extends Error {
  override readonly name = "BrowserNotFoundError";
  constructor(
    /** Every path checked, in order. */
    readonly tried: readonly string[],
    /** The explicit path that was given and is unusable, if any. */
    readonly override?: string,
  ) {
    super(
      override === undefined
        ? `No Chromium or Chrome browser was found for the browser tools. Looked for: ${tried.join(", ")}. ${browserInstallHint}`
        : `The browser set for Sage (${override}) is not an executable file. Fix SAGE_BROWSER or the browser setting, or unset it to use ${defaultBrowserCandidates.join(", ")}. ${browserInstallHint}`,
    );
  }
}

export interface FindBrowserOptions {
  /** An explicit executable (from SAGE_BROWSER or a setting): used alone, never replaced by a search. */
  override?: string;
  /** Paths to look at when there is no override; defaults to `defaultBrowserCandidates`. */
  candidates?: readonly string[];
}

/** The absolute path of the browser to launch. Throws `BrowserNotFoundError`. */
export function findBrowser(options: FindBrowserOptions = {}): string {
  const override = options.override?.trim();
  if (override) {
    if (isExecutableFile(override)) return override;
    throw new BrowserNotFoundError([override], override);
  }
  const candidates = options.candidates ?? defaultBrowserCandidates;
  for (const candidate of candidates) {
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new BrowserNotFoundError(candidates);
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
