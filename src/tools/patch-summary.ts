/**
 * What a staged patch changes, as apply_patch shows it in the approval preview and its result: one line of
 * text and one unified diff per change (for both patch formats).
 */
import { diffFileChange } from "./fs-helpers.ts";
import type { StagedFile } from "./v4a-staging.ts";

export interface ChangeSummary {
  text: string;
  diff: string;
  added: number;
  removed: number;
}

/**
 * One summary per change: a file moved (or renamed) away and not written again is one "moved" change,
 * diffed from its old path to its new one, instead of a deletion and a creation of the whole content.
 */
export function summarize(files: StagedFile[]): ChangeSummary[] {
  const movedAway = new Set<StagedFile>();
  for (const file of files) {
    const from = file.movedFrom;
    if (from && from.before !== null && from.after === null && files.includes(from)) movedAway.add(from);
  }
  const summaries: ChangeSummary[] = [];
  for (const file of files) {
    if (movedAway.has(file)) continue;
    const from = file.movedFrom && movedAway.has(file.movedFrom) ? file.movedFrom : undefined;
    if (from) {
      const change = diffFileChange(from.displayPath, file.displayPath, from.before, file.after);
      summaries.push({
        text: `moved ${from.displayPath} to ${file.displayPath} (+${change.added} -${change.removed})`,
        ...change,
      });
      continue;
    }
    const change = diffFileChange(file.displayPath, file.displayPath, file.before, file.after);
    const verb = file.before === null ? "created" : file.after === null ? "deleted" : "modified";
    summaries.push({ text: `${verb} ${file.displayPath} (+${change.added} -${change.removed})`, ...change });
  }
  return summaries;
}
