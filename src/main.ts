/**
 * Sage's entry point: read the flags, find the data folders, then open the window (default) or serve
 * headless. The window falls back to serve mode, loudly, when it cannot open.
 */

import { isCompiled } from "./app/context.ts";
import { parseArgs } from "./core/args.ts";
import { inspectCertificates } from "./core/certificates.ts";
import { errorMessage } from "./core/errors.ts";
import { Logger } from "./core/logger.ts";
import { ensurePaths, resolvePaths } from "./core/paths.ts";
import { VERSION } from "./core/version.ts";
import { runRestoreBackup } from "./shell/restore-command.ts";
import { runServeMode } from "./shell/serve-mode.ts";
import { startFailureCode } from "./shell/start-failure.ts";

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2), process.env);
  if (parsed.kind === "help" || parsed.kind === "version") {
    console.log(parsed.text);
    return 0;
  }
  if (parsed.kind === "error") {
    console.error(parsed.message);
    return 2;
  }
  if (parsed.kind === "install" || parsed.kind === "uninstall") {
    const { runDesktopEntryCommand } = await import("./desktop/desktop-entry.ts");
    return runDesktopEntryCommand(parsed.kind, process.env, process.execPath, isCompiled());
  }
  const { options } = parsed;
  const compiled = isCompiled();
  const paths = resolvePaths(process.env, options.dataDir);
  // Before anything opens a file in them (the log, then the single-instance lock): on a brand-new
  // account none of them exists yet. Every mode starts here, the window's serve fallback included.
  ensurePaths(paths);
  const logger = new Logger({ level: options.verbose ? "debug" : "info", console: options.verbose });
  logger.attachFile(paths.logs);
  logger.info(
    `Sage ${VERSION} starting (${options.mode}${compiled ? ", compiled" : ""}, pid ${process.pid}, ` +
      `${performance.now().toFixed(0)} ms after process start)`,
  );
  const certificates = inspectCertificates(process.env);
  for (const problem of certificates.problems) {
    logger.warn(problem);
    console.warn(`Warning: ${problem}`);
  }

  if (options.restoreBackup !== undefined) {
    const code = await runRestoreBackup(paths, options.restoreBackup, logger);
    if (code !== undefined) return code;
  }

  if (options.mode === "window") {
    const { runWindowMode } = await import("./shell/window-mode.ts");
    return runWindowMode({ options, paths, logger, compiled });
  }
  return runServeMode({ options, paths, logger, compiled });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Sage could not start: ${errorMessage(error)}`);
    process.exit(startFailureCode(error));
  },
);
