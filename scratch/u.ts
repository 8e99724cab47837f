import { Elysia, t } from "elysia";
import { Message } from "../src/shared/parts.ts";
const msg = { info: { id: "m", sessionId: "s", role: "assistant", parentId: null, turnId: null, kind: "normal", status: "completed", createdAt: 1 },
  parts: [{ id: "p", type: "tool", callId: "c", tool: "x", input: { a: 1, deep: { b: 2 } }, status: "completed", output: { text: "ok" }, startedAt: 1, endedAt: 2 },
  { id: "q", type: "compaction", summary: "s", upToMessageId: "m", replacedCount: 1, tokensBefore: 1, tokensAfter: 1, fromSessionId: "z" }, { id: "r", type: "text", text: "hi" }] };
const app = new Elysia().onError(({ code, error }) => new Response(`${code} ${(error as any).message}`, { status: 599 }))
  .get("/m", () => ({ messages: [msg] }) as any, { response: t.Object({ messages: t.Array(Message) }) });
const r = await app.handle(new Request("http://localhost/m"));
console.log(r.status, await r.text());
console.log(JSON.stringify({ messages: [msg] }));
