/** Agents for pickers (sidebar switcher, new chat). Loaded from GET /api/agents; refreshed after edits. */
import { createStore, reconcile } from "solid-js/store";
import type { Agent } from "../../../src/shared/agent.ts";
import { call } from "../lib/api-client.ts";

const [store, setStore] = createStore<{ list: Agent[]; loaded: boolean; currentId?: string }>({
  list: [],
  loaded: false,
});

export const agents = store;

export async function loadAgents(): Promise<void> {
  try {
    const { agents: list } = await call("GET /api/agents");
    setStore("list", reconcile(list));
    if (!store.currentId || !list.some((a) => a.id === store.currentId)) {
      setStore("currentId", list.find((a) => a.isDefault)?.id ?? list[0]?.id);
    }
  } catch {
    // Shown as an empty picker; the chat still works with the default agent.
  }
  setStore("loaded", true);
}

export function selectAgent(id: string): void {
  setStore("currentId", id);
}

export function agentById(id: string | undefined): Agent | undefined {
  return store.list.find((a) => a.id === id);
}
