/** The fake model CLI (for Playwright): prints its URLs, serves model requests, records them, scripts replies. */
import { afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";

const cli = join(import.meta.dir, "..", "fixtures", "fake-model", "cli.ts");
let child: Subprocess<"ignore", "pipe", "pipe"> | undefined;

afterEach(async () => {
  child?.kill("SIGTERM");
  await child?.exited;
  child = undefined;
});

async function start(args: string[]): Promise<{ url: string; control: string }> {
  child = Bun.spawn([process.execPath, cli, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the CLI exited: ${await new Response(child.stderr).text()}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return JSON.parse(text.split("\n")[0] ?? "");
}

async function chat(url: string, body: object): Promise<string> {
  const response = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer k1" },
    body: JSON.stringify({ model: "fake-model", ...body }),
  });
  return response.text();
}

test("--load-skill calls load_skill, then answers once the tool result is there; requests are recorded", async () => {
  const { url, control } = await start(["--api-key", "k1", "--load-skill", "my-skill"]);
  const tools = [{ type: "function", function: { name: "load_skill", parameters: {} } }];
  const first = await chat(url, { messages: [{ role: "user", content: "hi" }], tools });
  expect(first).toContain('"name":"load_skill"');
  expect(first).toContain("my-skill");
  const second = await chat(url, {
    messages: [
      { role: "user", content: "hi" },
      { role: "tool", tool_call_id: "c1", content: "BODY" },
    ],
    tools,
  });
  expect(second).toContain("Done with my-skill.");
  const title = await chat(url, { messages: [{ role: "user", content: "name it" }] });
  expect(title).toContain('"content":"ok"');
  const recorded = (await (await fetch(`${control}/__requests`)).json()) as {
    body: { messages: unknown[] };
  }[];
  expect(recorded).toHaveLength(3);
  expect(JSON.stringify(recorded[1]?.body.messages)).toContain("BODY");
});

test("/__enqueue scripts replies in order and refuses bad ones", async () => {
  const { url, control } = await start(["--api-key", "k1"]);
  const queued = await fetch(`${control}/__enqueue`, {
    method: "POST",
    body: JSON.stringify([{ text: "scripted" }]),
  });
  expect(await queued.json()).toEqual({ pending: 1 });
  expect(await chat(url, { messages: [{ role: "user", content: "x" }] })).toContain("scripted");
  const bad = await fetch(`${control}/__enqueue`, { method: "POST", body: JSON.stringify({ text: "x" }) });
  expect(bad.status).toBe(400);
  const invalid = await fetch(`${control}/__enqueue`, {
    method: "POST",
    body: JSON.stringify([{ text: 5 }]),
  });
  expect(invalid.status).toBe(400);
});

test("--title keeps background requests away from the queue and the record; /__reset forgets both", async () => {
  const { url, control } = await start(["--api-key", "k1", "--title", "A title"]);
  const tools = [{ type: "function", function: { name: "shell", parameters: {} } }];
  await fetch(`${control}/__enqueue`, { method: "POST", body: JSON.stringify([{ text: "for the turn" }]) });
  // A title request (no tools) arriving first must not take the reply queued for the turn.
  expect(await chat(url, { messages: [{ role: "user", content: "name it" }] })).toContain("A title");
  expect(await (await fetch(`${control}/__pending`)).json()).toBe(1);
  expect(await chat(url, { messages: [{ role: "user", content: "work" }], tools })).toContain("for the turn");
  const recorded = (await (await fetch(`${control}/__requests`)).json()) as { body: { tools?: unknown[] } }[];
  expect(recorded).toHaveLength(1);
  expect(recorded[0]?.body.tools).toHaveLength(1);
  await fetch(`${control}/__enqueue`, { method: "POST", body: JSON.stringify([{ text: "dropped" }]) });
  expect((await fetch(`${control}/__reset`, { method: "POST" })).status).toBe(200);
  expect(await (await fetch(`${control}/__pending`)).json()).toBe(0);
  expect(await (await fetch(`${control}/__requests`)).json()).toEqual([]);
  expect(await chat(url, { messages: [{ role: "user", content: "again" }], tools })).toContain(
    '"content":"ok"',
  );
});

test("an unknown option exits 2 with a message", async () => {
  const process = Bun.spawn([globalThis.process.execPath, cli, "--bogus", "1"], { stderr: "pipe" });
  expect(await process.exited).toBe(2);
  expect(await new Response(process.stderr).text()).toContain("unknown option '--bogus'");
});
