/**
 * Makes one database backup off the server's thread (VACUUM INTO reads the whole database). Must be
 * listed as an entrypoint of `bun build --compile` (see scripts/build.ts).
 *
 * Contract: receives one BackupJob, answers one BackupOutcome, and is then terminated by its owner.
 */

import type { BackupJob, BackupOutcome } from "./backup-service.ts";
import { writeBackup } from "./backups.ts";

declare const self: Worker;

self.onmessage = (event: MessageEvent<BackupJob>) => {
  let outcome: BackupOutcome;
  try {
    outcome = { ok: true, backup: writeBackup(event.data.databasePath, event.data.now) };
  } catch (error) {
    const failure = error as Error & { code?: unknown; detail?: unknown };
    outcome = {
      ok: false,
      name: failure.name ?? "Error",
      message: failure.message ?? String(error),
      code: typeof failure.code === "string" ? failure.code : undefined,
      detail: typeof failure.detail === "string" ? failure.detail : undefined,
    };
  }
  self.postMessage(outcome);
};
