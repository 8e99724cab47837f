/**
 * Running a short probe program (`bwrap ... true`, `slirp4netns --version`) without blocking.
 *
 * Contract: `probeRun` never throws and never blocks the event loop: it spawns the program
 * asynchronously, kills it after `timeoutMs` (SIGKILL) and resolves with its exit code (or the signal /
 * the spawn error) and up to 4 KiB of its standard error. The server keeps answering requests while a
 * probe runs (test/unit/sandbox-probe.test.ts).
 */

export type ProbeRunResult = { ok: true } | { ok: false; error: string };

/** Output kept from a failing probe, for the reason shown in Settings. */
const stderrLimit = 4096;

export async function probeRun(argv: string[], timeoutMs: number): Promise<ProbeRunResult> {
  let child: ReturnType<typeof Bun.spawn<"ignore", "ignore", "pipe">>;
  try {
    child = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  try {
    const [exitCode, stderrText] = await Promise.all([child.exited, new Response(child.stderr).text()]);
    if (exitCode === 0 && !timedOut) return { ok: true };
    const stderr = stderrText.trim().slice(0, stderrLimit);
    const how = timedOut
      ? "was stopped (timeout)"
      : child.signalCode
        ? `was stopped (${child.signalCode})`
        : `exited ${exitCode}`;
    return { ok: false, error: stderr ? `${how}: ${stderr}` : how };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
