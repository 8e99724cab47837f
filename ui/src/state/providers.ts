/**
 * The configured providers and their models, for the chat's model picker. Loaded on first use and
 * again whenever the picker is opened, so changes made in Settings show without a reload. Keys never
 * reach the UI (GET /api/providers sends only whether one is stored).
 */
import { createStore, reconcile } from "solid-js/store";
import type { Provider } from "../../../src/shared/provider.ts";
import { call } from "../lib/api-client.ts";

const [store, setStore] = createStore<{ list: Provider[]; loaded: boolean }>({ list: [], loaded: false });

export const providers = store;

export async function loadProviders(): Promise<void> {
  try {
    const { providers: list } = await call("GET /api/providers");
    setStore("list", reconcile(list));
  } catch {
    // The picker then offers only the agent's default; sending still works.
  }
  setStore("loaded", true);
}

export function providerById(id: string | undefined): Provider | undefined {
  return store.list.find((provider) => provider.id === id);
}
