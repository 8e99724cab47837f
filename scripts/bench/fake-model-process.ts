/**
 * The fake model server in its own process, for benchmarks: the process that measures (the WebSocket
 * client) must not share its event loop with a server streaming tens of thousands of events.
 *
 *   bun scripts/bench/fake-model-process.ts
 *
 * Prints one JSON line `{ "url": <model base URL>, "control": <control URL> }`, then serves:
 * - POST <control>/enqueue  body: a reply or an array of replies (see test/fixtures/fake-model/README.md)
 * - GET  <control>/sent-at  the send times of the content deltas of the most recent streamed answer
 * It exits when its standard input closes (the parent ended).
 */
import { type FakeReply, startFakeModel } from "../../test/fixtures/fake-model/index.ts";

const fake = await startFakeModel({ apiKey: "test-key-0001" });
const control = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/enqueue") {
      const body = (await request.json()) as FakeReply | FakeReply[];
      try {
        fake.enqueue(...(Array.isArray(body) ? body : [body]));
      } catch (error) {
        return Response.json({ error: String(error) }, { status: 400 });
      }
      return Response.json({ pending: fake.pendingReplies });
    }
    if (request.method === "GET" && path === "/sent-at") return Response.json(fake.sentAt);
    return new Response("not found", { status: 404 });
  },
});
console.log(JSON.stringify({ url: fake.url, control: `http://127.0.0.1:${control.port}` }));
for await (const _ of Bun.stdin.stream()) {
  // Wait for the parent to close our stdin.
}
control.stop(true);
await fake.stop();
process.exit(0);
