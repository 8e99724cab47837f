/**
 * What the user made of each tool card (by part id) and what a delegate card last showed, kept outside
 * the card: a card is created again when the message list re-renders its row or the user comes back to
 * the chat (after opening a sub-agent's chat, say), and it must come back as the user left it.
 * Memory only (a reload starts from the defaults); bounded, oldest entries dropped first.
 */

const LIMIT = 500;

const openChoices = new Map<string, boolean>();
const lastSteps = new Map<string, string[]>();

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > LIMIT) map.delete(map.keys().next().value as string);
}

/** The card's open state as the user (or a running delegation) left it; undefined: its default. */
export function cardOpenChoice(partId: string): boolean | undefined {
  return openChoices.get(partId);
}

export function rememberCardOpen(partId: string, open: boolean): void {
  remember(openChoices, partId, open);
}

/** The steps a delegate card showed last while its child ran (a failed call's result keeps none). */
export function lastDelegateSteps(partId: string): string[] {
  return lastSteps.get(partId) ?? [];
}

export function rememberDelegateSteps(partId: string, steps: string[]): void {
  if (steps.length > 0) remember(lastSteps, partId, steps);
}
