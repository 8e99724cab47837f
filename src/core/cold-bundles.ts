/**
 * Loading a cold package in the executable (see scripts/build-cold.ts): its bundle is embedded
 * gzip-compressed; the first load unpacks it into the data folder's `modules/` (written atomically,
 * owner-only, stale versions removed), and every load checks the file's SHA-256 before importing it,
 * so a damaged or altered copy is replaced rather than run. Outside the executable the packages are
 * imported from node_modules as usual and nothing here runs.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

let folder: string | undefined;
const loading = new Map<string, Promise<{ default: Record<string, unknown> }>>();

/** Where cold packages are unpacked (`Paths.modules`); set once at start-up. */
export function setColdBundleFolder(path: string): void {
  folder = path;
}

const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");

function readIfIntact(path: string, digest: string): boolean {
  try {
    return sha256(readFileSync(path)) === digest;
  } catch {
    return false;
  }
}

/** Unpack (when missing or altered) and import the bundle `name` whose source has SHA-256 `digest`. */
export function loadColdBundle(
  name: string,
  embeddedFile: string,
  digest: string,
): Promise<{ default: Record<string, unknown> }> {
  let promise = loading.get(name);
  if (!promise) {
    promise = unpackAndImport(name, embeddedFile, digest);
    loading.set(name, promise);
    promise.catch(() => loading.delete(name));
  }
  return promise;
}

async function unpackAndImport(name: string, embeddedFile: string, digest: string) {
  if (!folder) throw new Error(`${name} cannot be loaded: the modules folder is not set`);
  const path = join(folder, `${name}-${digest.slice(0, 16)}.js`);
  if (!readIfIntact(path, digest)) {
    const source = gunzipSync(await Bun.file(embeddedFile).bytes());
    if (sha256(source) !== digest) throw new Error(`${name}: the executable's embedded copy is damaged`);
    try {
      unpack(folder, name, path, source);
    } catch (error) {
      throw new Error(`${name} could not be unpacked into ${folder}: ${(error as Error).message}`);
    }
  }
  // A file URL, not the path: a Windows path (C:\...) is not a module specifier.
  return (await import(pathToFileURL(path).href)) as { default: Record<string, unknown> };
}

/** Write `source` to `path` atomically (owner-only), then remove other versions of `name`. */
function unpack(folder: string, name: string, path: string, source: Uint8Array): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, source, { mode: 0o600 });
  renameSync(temporary, path);
  for (const entry of readdirSync(folder)) {
    const other = join(folder, entry);
    if (entry.startsWith(`${name}-`) && entry.endsWith(".js") && other !== path)
      rmSync(other, { force: true });
  }
}
