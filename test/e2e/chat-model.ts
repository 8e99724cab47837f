/**
 * The fake model as a process for the chat end-to-end specs (Playwright runs on Node, the fake on Bun):
 *
 *   bun test/e2e/chat-model.ts [--api-key KEY] [--title TITLE]
 *
 * Unlike test/fixtures/fake-model/cli.ts, replies a spec scripts answer only the agent's own model
 * requests (those that offer tools). Background requests without tools — session titles, compaction —
 * never take a scripted reply: they get the text TITLE (default "Fake chat title"), so a title generated in the background can never steal
 * the reply meant for the next turn, whatever order the two requests arrive in. An agent request with
 * nothing scripted gets `defaultText`.
 *
 * Prints one JSON line once listening: `{"url": "<model base URL, with /v1>", "control": "<control URL>"}`.
 * Control routes (own port):
 *   POST /__enqueue   a JSON array of replies (test/fixtures/fake-model/README.md); 400 naming the bad field
 *   POST /__reset     forget queued replies and recorded requests
 *   GET  /__requests  agent requests so far: [{ path, body }]
 *   GET  /__pending   number of scripted replies not yet used
 */
import {
  type FakeReply,
  type FakeRequest,
  startFakeModel,
  validateReply,
} from "../fixtures/fake-model/index.ts";

const DEFAULT_TEXT = "Nothing was scripted for this request.";

class ChatModelUsageError extends Error {
  override readonly name = "ChatModelUsageError";
}

function parseArguments(argv: string[]): { apiKey?: string; title: string } {
  const options: { apiKey?: string; title: string } = { title: "Fake chat title" };
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (!value || value.startsWith("--")) throw new ChatModelUsageError(`${flag} needs a value`);
    if (flag === "--api-key") options.apiKey = value;
    else if (flag === "--title") options.title = value;
    else throw new ChatModelUsageError(`unknown option '${flag}'`);
  }
  return options;
}

function isAgentRequest(request: FakeRequest): boolean {
  return Array.isArray(request.body?.tools) && request.body.tools.length > 0;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  let script: FakeReply[] = [];
  let agentRequests: FakeRequest[] = [];
  const fake = await startFakeModel({
    apiKey: options.apiKey,
    defaultText: DEFAULT_TEXT,
    fallback(request) {
      if (!isAgentRequest(request)) return { text: options.title };
      agentRequests.push(request);
      return script.shift() ?? { text: DEFAULT_TEXT };
    },
  });
  const control = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const { pathname } = new URL(request.url);
      if (request.method === "GET" && pathname === "/__requests") {
        return Response.json(agentRequests.map(({ path, body }) => ({ path, body })));
      }
      if (request.method === "GET" && pathname === "/__pending") return Response.json(script.length);
      if (request.method === "POST" && pathname === "/__reset") {
        script = [];
        agentRequests = [];
        return Response.json({ ok: true });
      }
      if (request.method === "POST" && pathname === "/__enqueue") {
        try {
          const replies: unknown = await request.json();
          if (!Array.isArray(replies)) throw new ChatModelUsageError("send a JSON array of replies");
          script.push(...replies.map((reply) => validateReply(reply)));
          return Response.json({ pending: script.length });
        } catch (error) {
          return Response.json({ error: (error as Error).message }, { status: 400 });
        }
      }
      return Response.json({ error: "no such control route" }, { status: 404 });
    },
  });
  process.stdout.write(`${JSON.stringify({ url: fake.url, control: `http://127.0.0.1:${control.port}` })}\n`);
  const stop = async () => {
    control.stop(true);
    await fake.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`chat-model: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
