/**
 * Keys are read when first needed and held in memory only while in use (src/providers/key-cache.ts):
 * many model calls read the store once; an idle key is dropped and read again on the next call; a
 * changed or removed key is never served from memory; a failed read is not remembered; and starting
 * the backend reads no key at all. Opening the first chat decides where keys are kept (the keychain
 * probe, off the first submit's path) but reads none.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger } from "../../src/core/logger.ts";
import { ensureLocalUser } from "../../src/core/user.ts";
import { KeyCache } from "../../src/providers/key-cache.ts";
import { ProviderRepository } from "../../src/providers/repository.ts";
import type { SecretStore } from "../../src/providers/secret-store.ts";
import { preloadTurnCode } from "../../src/sessions/turn-setup.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { startBackend } from "../support/backend.ts";

/** A key store that counts reads (a real object passed in, not a module mock). */
class CountingStore implements SecretStore {
  readonly kind = "encrypted-file" as const;
  readonly values = new Map<string, string>();
  reads = 0;
  failNext = false;
  async get(ref: string) {
    this.reads++;
    await Bun.sleep(1);
    if (this.failNext) {
      this.failNext = false;
      throw new Error("keychain locked");
    }
    return this.values.get(ref);
  }
  async set(ref: string, value: string) {
    this.values.set(ref, value);
  }
  async delete(ref: string) {
    this.values.delete(ref);
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-key-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function repository(store: SecretStore, keyIdleMs?: number) {
  const { db } = openDatabase(join(dir, "sage.db"));
  const user = ensureLocalUser(db);
  const providers = new ProviderRepository(db, user.id, store, { keyIdleMs });
  return { providers, close: () => closeDatabase(db) };
}

const draft = {
  name: "Example",
  kind: "openai-compatible" as const,
  baseUrl: "http://127.0.0.1:9/v1",
  apiKey: "sk-example-key-1234",
  models: [{ id: "m" }],
  defaultModel: "m",
};

describe("ProviderRepository.access", () => {
  test("fifty model calls read the key store once", async () => {
    const store = new CountingStore();
    const { providers, close } = repository(store);
    try {
      const { id } = await providers.create(draft);
      expect(store.reads).toBe(0);
      const results = await Promise.all([providers.access(id), providers.access(id)]);
      for (let turn = 0; turn < 48; turn++) results.push(await providers.access(id));
      expect(results.every((access) => access.apiKey === "sk-example-key-1234")).toBe(true);
      expect(store.reads).toBe(1);
      expect(providers.keys.size).toBe(1);
    } finally {
      close();
    }
  });

  test("an idle key is dropped from memory and read again when needed", async () => {
    const store = new CountingStore();
    const { providers, close } = repository(store, 50);
    try {
      const { id } = await providers.create(draft);
      await providers.access(id);
      await Bun.sleep(20);
      await providers.access(id); // use restarts the idle timer
      await Bun.sleep(40);
      expect(providers.keys.size).toBe(1);
      await Bun.sleep(60);
      expect(providers.keys.size).toBe(0);
      expect((await providers.access(id)).apiKey).toBe("sk-example-key-1234");
      expect(store.reads).toBe(2);
    } finally {
      close();
    }
  });

  test("a changed key is used at once; a cleared or deleted one is gone from memory", async () => {
    const store = new CountingStore();
    const { providers, close } = repository(store);
    try {
      const { id } = await providers.create(draft);
      await providers.access(id);
      await providers.update(id, { apiKey: "sk-new-key-5678" });
      expect((await providers.access(id)).apiKey).toBe("sk-new-key-5678");
      await providers.update(id, { clearKey: true });
      expect(providers.keys.size).toBe(0);
      expect((await providers.access(id)).apiKey).toBeUndefined();
      const other = await providers.create({ ...draft, name: "Other" });
      await providers.access(other.id);
      expect(providers.keys.size).toBe(1);
      await providers.delete(other.id);
      expect(providers.keys.size).toBe(0);
      providers.dispose();
    } finally {
      close();
    }
  });

  test("a failed read is not remembered: the next call asks the store again", async () => {
    const store = new CountingStore();
    const { providers, close } = repository(store);
    try {
      const { id } = await providers.create(draft);
      store.failNext = true;
      await expect(providers.access(id)).rejects.toThrow("cannot be read");
      expect((await providers.access(id)).apiKey).toBe("sk-example-key-1234");
      expect(store.reads).toBe(2);
    } finally {
      close();
    }
  });
});

describe("KeyCache", () => {
  test("clear drops every key; concurrent first reads share one load", async () => {
    const cache = new KeyCache(60_000);
    let loads = 0;
    const load = async () => {
      loads++;
      await Bun.sleep(5);
      return "value";
    };
    const values = await Promise.all([cache.get("a", load), cache.get("a", load), cache.get("b", load)]);
    expect(values).toEqual(["value", "value", "value"]);
    expect(loads).toBe(2);
    expect(cache.storeReads).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe("the backend", () => {
  test("a restart reads no key until one is needed; turns then read it once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sage-key-restart-"));
    try {
      const first = await startBackend({ dataDir });
      await first.stop();
      const app = await startBackend({ dataDir });
      try {
        const { providers } = app.running.backend.context;
        await Bun.sleep(1800); // past the old start-up read of every key (at 1.5 s) for its hint
        const [provider] = providers.list();
        if (!provider) throw new Error("no provider");
        expect(provider.hasKey).toBe(true);
        expect(provider.keyHint).toBeUndefined();
        expect(providers.keys.storeReads).toBe(0);
        for (let turn = 0; turn < 5; turn++) await providers.access(provider.id);
        expect(providers.keys.storeReads).toBe(1);
        // Settings → Providers reads the hints when it asks for them.
        const listed = await app.api<{ providers: { keyHint?: string }[] }>("/api/providers");
        expect(listed.body.providers[0]?.keyHint).toBe("tes…0001");
      } finally {
        await app.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("opening the first chat", () => {
  /** A store that decides where keys live only when asked (like SelectedSecretStore's keychain probe). */
  class DecidingStore extends CountingStore {
    decisions = 0;
    async ready() {
      this.decisions++;
    }
  }

  test("decides where keys are kept before the first submit, without reading a key", async () => {
    const store = new DecidingStore();
    const { providers, close } = repository(store);
    try {
      await providers.create(draft);
      const logger = new Logger({ level: "error", console: false });
      preloadTurnCode({ providers, logger });
      await Bun.sleep(20);
      expect(store.decisions).toBe(1);
      expect(store.reads).toBe(0);
    } finally {
      close();
    }
  });

  test("without a key (a local server) nothing is decided", async () => {
    const store = new DecidingStore();
    const { providers, close } = repository(store);
    try {
      await providers.create({ ...draft, apiKey: undefined });
      preloadTurnCode({ providers, logger: new Logger({ level: "error", console: false }) });
      await Bun.sleep(20);
      expect(store.decisions).toBe(0);
    } finally {
      close();
    }
  });
});
