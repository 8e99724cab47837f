/**
 * bun test preload: every test run gets a private HOME, XDG dirs and SAGE_HOME under a temp dir, and
 * no provider API keys from the developer's environment leak into tests.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "sage-test-"));
process.env.HOME = join(root, "home");
process.env.XDG_DATA_HOME = join(root, "xdg-data");
process.env.XDG_CONFIG_HOME = join(root, "xdg-config");
process.env.XDG_STATE_HOME = join(root, "xdg-state");
process.env.XDG_CACHE_HOME = join(root, "xdg-cache");
process.env.SAGE_HOME = join(root, "sage-home");
process.env.SAGE_TEST = "1";

for (const key of Object.keys(process.env)) {
  if (/(_API_KEY|_AUTH_TOKEN|_ACCESS_TOKEN)$/.test(key)) delete process.env[key];
}
