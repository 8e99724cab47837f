/**
 * preferPlainRenderingWithoutGpu: on a machine without a GPU render node it must put
 * WEBKIT_DISABLE_COMPOSITING_MODE=1 into the C environment (where WebKit reads it; process.env alone
 * does not reach it), and it must never override a value the user set.
 */
import { expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const hasRenderNode = existsSync("/dev/dri") && readdirSync("/dev/dri").some((n) => n.startsWith("renderD"));

function run(env: Record<string, string | undefined>): { changed: string; cValue: string } {
  const script = `
    import { dlopen, FFIType, ptr } from "bun:ffi";
    import { preferPlainRenderingWithoutGpu } from ${JSON.stringify(join(root, "src/shell/display.ts"))};
    const changed = preferPlainRenderingWithoutGpu(process.env);
    const libc = dlopen("libc.so.6", { getenv: { args: [FFIType.ptr], returns: FFIType.cstring } });
    const value = libc.symbols.getenv(ptr(Buffer.from("WEBKIT_DISABLE_COMPOSITING_MODE\\0")));
    console.log(JSON.stringify({ changed: String(changed), cValue: String(value) }));
  `;
  const result = Bun.spawnSync([process.execPath, "-e", script], {
    env: env as Record<string, string>,
    stdout: "pipe",
    stderr: "pipe",
  });
  return JSON.parse(result.stdout.toString().trim()) as { changed: string; cValue: string };
}

test.skipIf(hasRenderNode)(
  "without a render node the C environment gets WEBKIT_DISABLE_COMPOSITING_MODE=1",
  () => {
    const env = { ...process.env };
    delete env.WEBKIT_DISABLE_COMPOSITING_MODE;
    expect(run(env)).toEqual({ changed: "true", cValue: "1" });
  },
);

test("a value the user set is left alone", () => {
  expect(run({ ...process.env, WEBKIT_DISABLE_COMPOSITING_MODE: "0" })).toEqual({
    changed: "false",
    cValue: "0",
  });
});
