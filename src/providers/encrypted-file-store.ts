/**
 * The fallback key store, used when no OS keychain is reachable (headless machines without a D-Bus
 * session). Secrets are encrypted with AES-256-GCM in one file (0600) in the data dir; the key is a
 * random 256-bit file (0600) beside it. This protects keys from casual reading, backups of the database
 * and exports — not from someone who can read the user's files; the UI says so.
 */

import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { SecretStore } from "./secret-store.ts";

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

export class SecretFileCorruptError extends Error {
  override readonly name = "SecretFileCorruptError";
  constructor(readonly file: string) {
    super(`The encrypted key file ${file} is damaged; re-enter the API keys in Settings → Providers.`);
  }
}

/**
 * AES-256-GCM through WebCrypto (built into the runtime: nothing to load; node:crypto would cost ~10 MB
 * of resident memory). The file keeps node's layout: ciphertext and the 16-byte tag stored apart.
 */
const TAG_BYTES = 16;

/** A copy in a plain ArrayBuffer, as WebCrypto's types want. */
function bytes(buffer: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer);
}

function aesKey(raw: Buffer, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", bytes(raw), { name: "AES-GCM" }, false, [usage]);
}

function randomBytes(count: number): Buffer {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(count)));
}

export class EncryptedFileStore implements SecretStore {
  readonly kind = "encrypted-file" as const;
  private key: Buffer | undefined;

  constructor(
    private readonly file: string,
    private readonly keyFile = `${file}.key`,
  ) {}

  async get(ref: string): Promise<string | undefined> {
    const sealed = this.readAll()[ref];
    if (!sealed) return undefined;
    const sealedBytes = Buffer.concat([
      Buffer.from(sealed.data, "base64"),
      Buffer.from(sealed.tag, "base64"),
    ]);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes(Buffer.from(sealed.iv, "base64")), tagLength: TAG_BYTES * 8 },
      await aesKey(this.masterKey(), "decrypt"),
      bytes(sealedBytes),
    );
    return Buffer.from(plain).toString("utf8");
  }

  async set(ref: string, value: string): Promise<void> {
    const iv = randomBytes(12);
    const sealedBytes = Buffer.from(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv: bytes(iv), tagLength: TAG_BYTES * 8 },
        await aesKey(this.masterKey(), "encrypt"),
        new TextEncoder().encode(value),
      ),
    );
    const all = this.readAllOrSetAside();
    all[ref] = {
      iv: iv.toString("base64"),
      tag: sealedBytes.subarray(sealedBytes.length - TAG_BYTES).toString("base64"),
      data: sealedBytes.subarray(0, sealedBytes.length - TAG_BYTES).toString("base64"),
    };
    this.writeAll(all);
  }

  /** The refs stored (no values). */
  refs(): string[] {
    return Object.keys(this.readAll());
  }

  async delete(ref: string): Promise<void> {
    const all = this.readAll();
    if (!(ref in all)) return;
    delete all[ref];
    this.writeAll(all);
  }

  private masterKey(): Buffer {
    if (this.key) return this.key;
    if (existsSync(this.keyFile)) {
      this.key = Buffer.from(readFileSync(this.keyFile, "utf8").trim(), "base64");
    } else {
      this.key = randomBytes(32);
      writeFileSync(this.keyFile, this.key.toString("base64"), { mode: 0o600, flag: "wx" });
    }
    return this.key;
  }

  private readAll(): Record<string, Sealed> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, "utf8")) as Record<string, Sealed>;
    } catch {
      throw new SecretFileCorruptError(this.file);
    }
  }

  /** For writes: a damaged file is renamed to `<file>.damaged` (kept for inspection) and replaced. */
  private readAllOrSetAside(): Record<string, Sealed> {
    try {
      return this.readAll();
    } catch {
      renameSync(this.file, `${this.file}.damaged`);
      return {};
    }
  }

  private writeAll(all: Record<string, Sealed>): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
