/**
 * Test and benchmark helper for database upkeep off the server's thread: fill a backend's database so
 * a VACUUM takes a noticeable time (kept rows it must copy, a dropped table it gives back), and probe
 * /api/health back to back while something runs, recording each answer's latency.
 */
import type { Database } from "bun:sqlite";
import type { TestBackend } from "./backend.ts";

/** Adds `keptMiB` of rows that stay and `freedMiB` of rows in a table that is then dropped. */
export function seedForVacuum(db: Database, keptMiB: number, freedMiB: number): void {
  db.run("CREATE TABLE IF NOT EXISTS upkeep_kept (data BLOB)");
  db.run("CREATE TABLE upkeep_bulk (data BLOB)");
  const kept = db.query("INSERT INTO upkeep_kept VALUES (?)");
  const bulk = db.query("INSERT INTO upkeep_bulk VALUES (?)");
  const row = new Uint8Array(4096);
  db.transaction(() => {
    for (let index = 0; index < keptMiB * 256; index++) kept.run(row.fill(index % 251));
    for (let index = 0; index < freedMiB * 256; index++) bulk.run(row);
  })();
  db.run("DROP TABLE upkeep_bulk");
  db.run("PRAGMA wal_checkpoint(TRUNCATE)");
}

export interface HealthProbeResult {
  /** Each answer's latency in ms, as this thread saw it. */
  latencies: number[];
  /**
   * The longest time between two answers (or from the start to the first), in ms. The probe runs on the
   * server's thread too, so a blocked thread shows here (a request sent then would have waited as long)
   * even where no single latency does.
   */
  longestGap: number;
}

export interface HealthProbe {
  /** Stop probing (a probe in flight is awaited). */
  stop(): Promise<HealthProbeResult>;
}

/** GET /api/health back to back (a 2 ms pause between answers) until stopped. */
export function probeHealth(app: Pick<TestBackend, "http">): HealthProbe {
  const latencies: number[] = [];
  let running = true;
  let previous = performance.now();
  let longestGap = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const response = await app.http("/api/health");
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`/api/health answered ${response.status}`);
      const now = performance.now();
      latencies.push(now - started);
      longestGap = Math.max(longestGap, now - previous);
      previous = now;
      await Bun.sleep(2);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { latencies, longestGap };
    },
  };
}
