/**
 * Database upkeep benchmark (issue 19): how long /api/health takes to answer while the database is
 * compacted, in-process (real backend, real SQLite file, real HTTP), on a database of `--kept` MiB of
 * rows plus `--freed` MiB of dropped rows.
 *
 * Two runs on fresh backends: "server thread" runs `VACUUM` + checkpoint on the server's own connection,
 * as Sage did before the upkeep worker; "worker" goes through POST /api/storage/compact (the worker on its
 * own connection). Printed per run: the VACUUM's duration, the file before and after, and the health
 * answers meanwhile (count, median, worst latency, and the longest time between two answers: the probe
 * shares the server's thread, so a blocked thread shows there).
 *
 *   bun scripts/bench/vacuum-latency.ts [--kept 48] [--freed 64]
 */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

// Like the test preload: a private HOME and XDG folders, and no session bus.
const sandbox = mkdtempSync(join(tmpdir(), "sage-bench-vacuum-home-"));
process.env.HOME = sandbox;
for (const dir of ["DATA", "CONFIG", "STATE", "CACHE"]) process.env[`XDG_${dir}_HOME`] = join(sandbox, dir);
delete process.env.DBUS_SESSION_BUS_ADDRESS;
const { startBackend } = await import("../../test/support/backend.ts");
const { probeHealth, seedForVacuum } = await import("../../test/support/vacuum-load.ts");

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { kept: { type: "string", default: "48" }, freed: { type: "string", default: "64" } },
});
const keptMiB = Number(values.kept);
const freedMiB = Number(values.freed);
const MiB = 1024 * 1024;

async function measure(where: "server thread" | "worker"): Promise<void> {
  const app = await startBackend({ provider: false });
  try {
    const { db } = app.running.backend.context;
    seedForVacuum(db, keptMiB, freedMiB);
    const before = statSync(app.paths.database).size;
    const probe = probeHealth(app);
    await Bun.sleep(50);
    const started = performance.now();
    if (where === "worker") {
      const { body } = await app.api<{ error?: string }>("/api/storage/compact", { method: "POST" });
      if (body.error) throw new Error(body.error);
    } else {
      db.run("VACUUM");
      db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    const vacuumMs = performance.now() - started;
    await Bun.sleep(50);
    const { latencies, longestGap } = await probe.stop();
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)] ?? 0;
    const worst = latencies[latencies.length - 1] ?? 0;
    const after = statSync(app.paths.database).size;
    console.log(
      `${where.padEnd(13)}  VACUUM ${vacuumMs.toFixed(0).padStart(5)} ms  ` +
        `${(before / MiB).toFixed(0)} -> ${(after / MiB).toFixed(0)} MiB  ` +
        `health: ${latencies.length} answers, median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms, ` +
        `longest wait ${longestGap.toFixed(0)} ms`,
    );
  } finally {
    await app.stop();
  }
}

console.log(`\n/api/health while compacting (${keptMiB} MiB kept, ${freedMiB} MiB freed)\n`);
await measure("server thread");
await measure("worker");
process.exit(0);
