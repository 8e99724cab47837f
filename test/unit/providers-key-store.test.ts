/**
 * The key store choice and the encrypted fallback file: a keychain that fails or hangs means the
 * encrypted file (with the reason kept); a working one is chosen and takes over the file's keys; the
 * file is 0600, holds no plain text, and a damaged file is set aside on the next write.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EncryptedFileStore } from "../../src/providers/encrypted-file-store.ts";
import type { SecretStore } from "../../src/providers/secret-store.ts";
import { maskKey } from "../../src/providers/secret-store.ts";
import { probeKeychain, SelectedSecretStore } from "../../src/providers/select-secret-store.ts";

/** An in-memory keychain that behaves as told (a real object passed in, not a module mock). */
class MemoryKeychain implements SecretStore {
  readonly kind = "keychain" as const;
  readonly values = new Map<string, string>();
  constructor(
    private readonly behaviour: "works" | "fails" | "hangs" | "lies" | "refuses-writes" = "works",
  ) {}
  async get(ref: string) {
    await this.act();
    return this.behaviour === "lies" ? "something else" : this.values.get(ref);
  }
  async set(ref: string, value: string) {
    await this.act();
    if (this.behaviour === "refuses-writes") throw new Error("Prompt dismissed: no default collection");
    this.values.set(ref, value);
  }
  async delete(ref: string) {
    await this.act();
    this.values.delete(ref);
  }
  private act(): Promise<void> {
    if (this.behaviour === "fails")
      return Promise.reject(new Error("Cannot autolaunch D-Bus without X11 $DISPLAY"));
    if (this.behaviour === "hangs") return new Promise(() => {});
    return Promise.resolve();
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-keys-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("EncryptedFileStore", () => {
  test("round trip, 0600 files, no plain text, refs without values", async () => {
    const file = join(dir, "secrets.enc");
    const store = new EncryptedFileStore(file);
    await store.set("provider:a", "sk-plaintext-should-not-appear");
    await store.set("env:B", "second");
    expect(await store.get("provider:a")).toBe("sk-plaintext-should-not-appear");
    expect(await new EncryptedFileStore(file).get("env:B")).toBe("second");
    expect(store.refs().sort()).toEqual(["env:B", "provider:a"]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}.key`).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).not.toContain("plaintext");
    await store.delete("provider:a");
    expect(await store.get("provider:a")).toBeUndefined();
  });

  test("a damaged file: reads explain, the next write sets it aside", async () => {
    const file = join(dir, "secrets.enc");
    writeFileSync(file, "{ damaged");
    const store = new EncryptedFileStore(file);
    await expect(store.get("x")).rejects.toThrow("damaged");
    await store.set("x", "fresh");
    expect(await store.get("x")).toBe("fresh");
    expect(existsSync(`${file}.damaged`)).toBe(true);
  });

  test("a value encrypted under another key file does not decrypt", async () => {
    const file = join(dir, "secrets.enc");
    await new EncryptedFileStore(file).set("x", "value");
    rmSync(`${file}.key`);
    writeFileSync(`${file}.key`, Buffer.alloc(32, 7).toString("base64"));
    await expect(new EncryptedFileStore(file).get("x")).rejects.toThrow();
  });
});

describe("choosing the store", () => {
  const fallback = () => new EncryptedFileStore(join(dir, "secrets.enc"));

  test("a working keychain is chosen; the probe leaves nothing behind", async () => {
    const keychain = new MemoryKeychain();
    const store = new SelectedSecretStore({ keychain, fallback: fallback() });
    expect((await store.ready()).kind).toBe("keychain");
    expect(store.kind).toBe("keychain");
    expect(store.fallbackReason).toBeUndefined();
    expect([...keychain.values.keys()]).toEqual([]);
    await store.set("provider:x", "k");
    expect(keychain.values.get("provider:x")).toBe("k");
  });

  test("keys an earlier keychain-less run left in the file move into the keychain", async () => {
    const file = fallback();
    await file.set("provider:old", "old-key");
    const keychain = new MemoryKeychain();
    const store = new SelectedSecretStore({ keychain, fallback: file });
    await store.ready();
    expect(keychain.values.get("provider:old")).toBe("old-key");
    expect(file.refs()).toEqual([]);
  });

  test("a failing keychain: the encrypted file, with the reason", async () => {
    const store = new SelectedSecretStore({ keychain: new MemoryKeychain("fails"), fallback: fallback() });
    expect((await store.ready()).kind).toBe("encrypted-file");
    expect(store.kind).toBe("encrypted-file");
    expect(store.fallbackReason).toContain("D-Bus");
    await store.set("provider:x", "k");
    expect(await fallback().get("provider:x")).toBe("k");
  });

  test("a keychain that never answers: the encrypted file after the timeout", async () => {
    const started = performance.now();
    const store = new SelectedSecretStore({
      keychain: new MemoryKeychain("hangs"),
      fallback: fallback(),
      timeoutMs: 150,
    });
    expect((await store.ready()).kind).toBe("encrypted-file");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(store.fallbackReason).toContain("150 ms");
  });

  test("a keychain that answers a lookup for a secret that does not exist is not trusted", async () => {
    await expect(probeKeychain(new MemoryKeychain("lies"))).rejects.toThrow("does not exist");
  });

  test("the probe only reads: nothing is written to the keychain before a real key is saved", async () => {
    const keychain = new MemoryKeychain();
    const store = new SelectedSecretStore({ keychain, fallback: fallback() });
    expect((await store.ready()).kind).toBe("keychain");
    expect(keychain.values.size).toBe(0);
  });

  test("a keychain that refuses a write: the key goes to the encrypted file, and reads find it", async () => {
    const keychain = new MemoryKeychain("refuses-writes");
    const file = fallback();
    const store = new SelectedSecretStore({ keychain, fallback: file });
    expect((await store.ready()).kind).toBe("keychain");
    await store.set("provider:x", "sk-refused-123456");
    expect(store.kind).toBe("encrypted-file");
    expect(store.fallbackReason).toContain("refused");
    expect(await file.get("provider:x")).toBe("sk-refused-123456");
    expect(await store.get("provider:x")).toBe("sk-refused-123456");
  });

  test("no keychain offered: the encrypted file without probing", async () => {
    const store = new SelectedSecretStore({ keychain: undefined, fallback: fallback() });
    expect((await store.ready()).kind).toBe("encrypted-file");
  });
});

test("maskKey shows enough to recognise a key, never enough to use it", () => {
  expect(maskKey("sk-abcdefghijklmnop1234")).toBe("sk-…1234");
  expect(maskKey("short")).toBe("••••");
});

describe("EncryptedFileStore file layout", () => {
  test("a file written with node:crypto (earlier versions) still decrypts, and new entries read back there", async () => {
    const { createCipheriv, createDecipheriv, randomBytes } = await import("node:crypto");
    const file = join(dir, "secrets.enc");
    const key = randomBytes(32);
    writeFileSync(`${file}.key`, key.toString("base64"));
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const data = Buffer.concat([cipher.update("sk-written-by-node", "utf8"), cipher.final()]);
    const sealed = {
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      data: data.toString("base64"),
    };
    writeFileSync(file, JSON.stringify({ "provider:old": sealed }));
    const store = new EncryptedFileStore(file);
    expect(await store.get("provider:old")).toBe("sk-written-by-node");

    await store.set("provider:new", "sk-written-by-webcrypto");
    const stored = JSON.parse(readFileSync(file, "utf8"))["provider:new"] as typeof sealed;
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(stored.iv, "base64"));
    decipher.setAuthTag(Buffer.from(stored.tag, "base64"));
    const plain = Buffer.concat([decipher.update(Buffer.from(stored.data, "base64")), decipher.final()]);
    expect(plain.toString("utf8")).toBe("sk-written-by-webcrypto");
  });
});
