import { Elysia, t } from "elysia";
interface X { a: number; b: { c: string } }
const X = t.Unsafe<X>(t.Object({}, { additionalProperties: true, description: "X" }));
const Strict = t.Object({ a: t.Number() });
const app = new Elysia()
  .onError(({ code, error }) => { return new Response(`${code} ${(error as any).type}`, { status: 599 }); })
  .get("/x", () => ({ a: 1, b: { c: "d" }, extra: true }), { response: X })
  .get("/y", () => ({ a: 1, b: 2 }) as { a: number }, { response: Strict })
  .get("/z", () => ({ a: "no" }) as unknown as { a: number }, { response: Strict })
  .get("/w", () => new Response("bin"), { response: Strict })
  .get("/arr", () => [{ a: 1, q: 2 }], { response: t.Array(X) });
for (const p of ["/x", "/y", "/z", "/w", "/arr"]) {
  const r = await app.handle(new Request("http://localhost" + p));
  console.log(p, r.status, await r.text());
}
