/**
 * What declaring response schemas costs on the heaviest JSON answer, a page of messages
 * (GET /api/sessions/:id/messages, MessagePage): the same Elysia route answering 80 messages of text,
 * reasoning and tool parts, with and without `response: MessagePage` (Elysia then mirrors the answer to the
 * schema and checks it). Prints the time per request of each, through app.handle (no network).
 */
import { Elysia } from "elysia";
import type { Message } from "../../src/shared/parts.ts";
import { MessagePage } from "../../src/shared/session.ts";

const messages: Message[] = Array.from({ length: 80 }, (_, index) => ({
  info: {
    id: `msg_${index}`,
    sessionId: "ses_bench",
    role: index % 2 ? "assistant" : "user",
    parentId: index ? `msg_${index - 1}` : null,
    turnId: `turn_${index >> 1}`,
    kind: "normal",
    status: "completed",
    createdAt: 1_700_000_000_000 + index,
  },
  parts: [
    { id: `prt_${index}_a`, type: "text", text: "Lorem ipsum dolor sit amet. ".repeat(40) },
    {
      id: `prt_${index}_b`,
      type: "reasoning",
      text: "Thinking about it. ".repeat(20),
      startedAt: 1,
      endedAt: 2,
    },
    {
      id: `prt_${index}_c`,
      type: "tool",
      callId: `call_${index}`,
      tool: "read_file",
      input: { path: "src/main.ts", offset: 0, limit: 200 },
      status: "completed",
      output: { text: "export const x = 1;\n".repeat(100) },
      startedAt: 1,
      endedAt: 2,
    },
  ],
})) as Message[];
const page = { messages, lastSeq: 1234, hasMore: true };

const plain = new Elysia().get("/m", () => page);
const declared = new Elysia().get("/m", () => page, { response: MessagePage });

async function time(app: { handle(request: Request): Promise<Response> }, rounds: number): Promise<number> {
  for (let i = 0; i < 50; i++) await (await app.handle(new Request("http://localhost/m"))).text();
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await (await app.handle(new Request("http://localhost/m"))).text();
  return (performance.now() - start) / rounds;
}

const bytes = JSON.stringify(page).length;
const rounds = 400;
const without = await time(plain, rounds);
const withSchema = await time(declared, rounds);
const again = await time(plain, rounds);
console.log(`messages page: 80 messages, ${(bytes / 1024).toFixed(0)} KiB of JSON, ${rounds} requests each`);
console.log(`  no response schema:   ${((without + again) / 2).toFixed(3)} ms/request`);
console.log(`  response: MessagePage ${withSchema.toFixed(3)} ms/request`);
