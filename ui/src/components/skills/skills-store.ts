/**
 * The skill library as the skills page shows it: the listing from GET /api/skills, reloaded after every
 * change, and a guard that asks before unsaved editor changes are thrown away.
 */
import { createSignal } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { SkillEntry, SkillListResponse } from "../../../../src/shared/skills.ts";
import { loadAgents } from "../../state/agents.ts";
import { errorText, skillsApi } from "./skills-api.ts";

const empty: SkillListResponse = { skills: [], problems: [], deletedBuiltins: [], agents: [], skillsDir: "" };

const [listing, setListing] = createStore<{ data: SkillListResponse; loaded: boolean; error?: string }>({
  data: empty,
  loaded: false,
});

export { listing };

export async function reloadSkills(): Promise<void> {
  try {
    const data = await skillsApi.list();
    setListing("data", reconcile(data, { key: "name" }));
    setListing({ loaded: true, error: undefined });
  } catch (error) {
    setListing({ loaded: true, error: errorText(error) });
  }
}

/** Put one entry (as returned by a write) into the listing without a round trip. */
export function updateEntry(entry: SkillEntry): void {
  const index = listing.data.skills.findIndex((skill) => skill.name === entry.name);
  if (index >= 0) setListing("data", "skills", index, reconcile(entry));
  else void reloadSkills();
}

export function entryByName(name: string | undefined): SkillEntry | undefined {
  return listing.data.skills.find((skill) => skill.name === name);
}

/** Reload the listing and the app's agent list (their enabled skills changed). */
export async function reloadSkillsAndAgents(): Promise<void> {
  await Promise.all([reloadSkills(), loadAgents()]);
}

/* ---- unsaved changes ---- */

const [dirty, setDirty] = createSignal(false);
const [pending, setPending] = createSignal<(() => void) | undefined>();

/** The action waiting for the user to confirm that unsaved changes may be discarded. */
export { dirty, pending as pendingDiscard, setDirty };

/** Run `action` now, or after the user agrees to discard unsaved changes. */
export function guardUnsaved(action: () => void): void {
  if (!dirty()) {
    action();
    return;
  }
  setPending(() => action);
}

export function confirmDiscard(): void {
  const action = pending();
  setPending(undefined);
  setDirty(false);
  action?.();
}

export function cancelDiscard(): void {
  setPending(undefined);
}
