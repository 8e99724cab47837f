/**
 * The fake model of the soak benchmark (scripts/bench/soak.ts), in its own process, answering from the
 * request itself rather than a queue, so any number of sessions can run at once:
 * - a request whose last message is a tool result gets a short text answer (the turn ends);
 * - a user message containing "stream N" gets N tokens of text ("tok "), as fast as the socket takes
 *   them;
 * - any other user message gets one tool call, rotating through list_dir, read_file, grep and, when
 *   the first argument says so, shell.
 *
 *   bun scripts/bench/soak-model-process.ts [--shell]
 *
 * Prints one JSON line `{ "url": <model base URL> }`; exits when its standard input closes.
 */
import type { FakeReply, FakeRequest } from "../../test/fixtures/fake-model/index.ts";
import { startFakeModel } from "../../test/fixtures/fake-model/index.ts";

const withShell = process.argv.includes("--shell");
const TOOLS: { name: string; arguments: Record<string, string> }[][] = [
  [{ name: "list_dir", arguments: { path: "." } }],
  [{ name: "read_file", arguments: { path: "notes.md" } }],
  [{ name: "grep", arguments: { pattern: "line", path: "." } }],
  ...(withShell ? [[{ name: "shell", arguments: { command: "ls -la && echo done" } }]] : []),
];
let calls = 0;

function textOf(message: Record<string, unknown> | undefined): string {
  const content = message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? "").join(" ");
  return "";
}

function answer(request: FakeRequest): FakeReply {
  const messages = (request.body?.messages ?? []) as Record<string, unknown>[];
  const last = messages.at(-1);
  if (last?.role === "tool") return { text: "Done: the tool answered, here is a short summary of it." };
  const stream = /stream (\d+)/.exec(textOf(last));
  if (stream) return { text: { repeat: "tok ", count: Number(stream[1]) } };
  calls++;
  return { text: "Let me look.", toolCalls: TOOLS[calls % TOOLS.length] };
}

const fake = await startFakeModel({ apiKey: "test-key-0001", fallback: answer });
console.log(JSON.stringify({ url: fake.url }));
// The fake keeps every request for tests; this process serves thousands, so forget them as they come.
const forget = setInterval(() => fake.requests.splice(0, fake.requests.length), 1000);
for await (const _ of Bun.stdin.stream()) {
  // Wait for the parent to close our stdin.
}
clearInterval(forget);
await fake.stop();
process.exit(0);
