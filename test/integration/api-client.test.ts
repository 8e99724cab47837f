/**
 * The UI's typed API client (ui/src/lib/api-client.ts) against the real backend: route parameters are
 * filled in and encoded, queries appended, JSON bodies sent, answers typed from the routes (checked by
 * `bun run typecheck`: the @ts-expect-error lines below must stay errors), and failures still go through
 * api() (ApiError with the server's code; 401 switches the page to signed out).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ScheduledTask, SchedulerStatus, TaskRun } from "../../src/shared/schedule.ts";
import type { SessionSummary } from "../../src/shared/session.ts";
import type * as ApiModule from "../../ui/src/lib/api.ts";
import type * as ClientModule from "../../ui/src/lib/api-client.ts";
import type { AnswerOf } from "../../ui/src/lib/api-client.ts";
import { useBackend } from "../support/backend.ts";

const server = useBackend();
let client: typeof ClientModule;
let apiModule: typeof ApiModule;
let signedOut: () => boolean;
/** The page's token, as boot.js would have it; a test may change it. */
const page = { token: "" };
const requested: string[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  // The UI modules read window.__SAGE__ at load and call fetch with page-relative URLs.
  Object.assign(globalThis, {
    window: {
      get __SAGE__() {
        return { token: page.token, shell: "serve" };
      },
    },
  });
  page.token = server().token;
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const path = String(input);
    requested.push(`${init?.method ?? "GET"} ${path}`);
    return realFetch(path.startsWith("/") ? `${server().url}${path}` : input, init);
  }) as typeof fetch;
  client = await import("../../ui/src/lib/api-client.ts");
  apiModule = await import("../../ui/src/lib/api.ts");
  signedOut = (await import("../../ui/src/lib/access.ts")).signedOut;
});

afterAll(() => {
  globalThis.fetch = realFetch;
  Reflect.deleteProperty(globalThis, "window");
});

describe("routeUrl", () => {
  test("fills and encodes parameters, appends defined query values only", () => {
    expect(client.routeUrl("/api/skills/:name/agents/:agentId", { name: "a b/c", agentId: "x?y" }, {})).toBe(
      "/api/skills/a%20b%2Fc/agents/x%3Fy",
    );
    expect(client.routeUrl("/api/sessions", undefined, { limit: 5, cursor: undefined, q: "a&b" })).toBe(
      "/api/sessions?limit=5&q=a%26b",
    );
  });

  test("a missing parameter is a programming error, not a request to a wrong URL", () => {
    expect(() => client.routeUrl("/api/sessions/:id", {}, undefined)).toThrow(/:id/);
  });
});

describe("call", () => {
  test("creates, reads, renames and lists a session through typed routes", async () => {
    const created = await client.call("POST /api/sessions", { json: { title: "typed client" } });
    const same: SessionSummary = await client.call("GET /api/sessions/:id", { params: { id: created.id } });
    expect(same).toMatchObject({ id: created.id, title: "typed client" });
    const renamed = await client.call("PATCH /api/sessions/:id", {
      params: { id: created.id },
      json: { title: "renamed" },
    });
    expect(renamed.title).toBe("renamed");
    const page = await client.call("GET /api/sessions", { query: { limit: 500 } });
    expect(page.sessions.map((session) => session.id)).toContain(created.id);
    expect(requested).toContain(`PATCH /api/sessions/${created.id}`);
    expect(requested).toContain("GET /api/sessions?limit=500");
  });

  test("an id with URL characters reaches the server encoded (404 for it, not another route)", async () => {
    const failure = await client
      .call("GET /api/sessions/:id", { params: { id: "../health" } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(apiModule.ApiError);
    expect((failure as ApiModule.ApiError).status).toBe(404);
    expect((failure as ApiModule.ApiError).code).toBe("not_found");
    expect(requested).toContain("GET /api/sessions/..%2Fhealth");
  });

  test("a refused body is an ApiError naming the server's code", async () => {
    const failure = await client
      .call("POST /api/sessions/:id/switch-version", {
        params: { id: "ses_missing" },
        json: { messageId: "" },
      })
      .catch((error: unknown) => error);
    expect((failure as ApiModule.ApiError).code).toBe("invalid");
    expect((failure as ApiModule.ApiError).status).toBe(400);
  });

  test("the Tasks page's calls (tasksApi) reach the scheduled-tasks routes with typed answers", async () => {
    const { tasksApi } = await import("../../ui/src/components/tasks/tasks-api.ts");
    const preview = await tasksApi.preview("0 9 * * 1-5", "UTC");
    expect(preview.next).toHaveLength(3);
    const bad = await tasksApi.preview("0 25 * * *").catch((error: unknown) => error);
    expect((bad as ApiModule.ApiError).status).toBe(400);
    const runAt = Date.now() + 3_600_000;
    const created = await tasksApi.create({ name: "typed task", prompt: "p", kind: "once", runAt });
    expect(created).toMatchObject({ name: "typed task", runAt, enabled: true });
    const changed = await tasksApi.update(created.id, { enabled: false });
    expect(changed.enabled).toBe(false);
    const listed = await tasksApi.list();
    expect(listed.tasks.map((task) => task.id)).toContain(created.id);
    expect(typeof listed.status.paused).toBe("boolean");
    expect(await tasksApi.runs(created.id)).toEqual([]);
    expect((await tasksApi.setPaused(true)).paused).toBe(true);
    expect((await tasksApi.setPaused(false)).paused).toBe(false);
    expect(await tasksApi.remove(created.id)).toEqual({ deleted: true });
    expect(requested).toContain(`GET /api/scheduled-tasks/${created.id}/runs?limit=50`);
    expect(requested).toContain(`PATCH /api/scheduled-tasks/${created.id}`);
  });

  test("a wrong token signs the page out", async () => {
    expect(signedOut()).toBe(false);
    const token = page.token;
    // env.ts read the token at load: change what api() sends through its host object.
    const { host } = await import("../../ui/src/lib/env.ts");
    host.token = "wrong";
    try {
      const failure = await client.call("GET /api/health").catch((error: unknown) => error);
      expect((failure as ApiModule.ApiError).status).toBe(401);
      expect(signedOut()).toBe(true);
    } finally {
      host.token = token;
    }
  });
});

// Compile-time checks (bun run typecheck): answers come from the routes, paths and parameters are checked.
/** True when A and B are the same type (and A is not `any`, which would match everything). */
type Same<A, B> = 0 extends 1 & A ? false : [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const answersAreTheRoutes: [
  Same<AnswerOf<"GET /api/sessions/:id">, SessionSummary>,
  Same<AnswerOf<"POST /api/sessions/:id/leave">, { removed: boolean }>,
  Same<AnswerOf<"POST /api/sessions/:id/attachments">["attachments"][number]["path"], string>,
  // Every mounted plugin is in the client (ApiRoutes is derived from the list featureRoutes mounts).
  Same<AnswerOf<"GET /api/scheduled-tasks">, { tasks: ScheduledTask[]; status: SchedulerStatus }>,
  Same<AnswerOf<"POST /api/scheduled-tasks/:id/run">, TaskRun>,
] = [true, true, true, true, true];
void answersAreTheRoutes;
function neverCalled(typed: typeof ClientModule) {
  // @ts-expect-error: no such route
  void typed.call("GET /api/no-such-route");
  // @ts-expect-error: :id is required
  void typed.call("GET /api/sessions/:id");
  // @ts-expect-error: the body's title is a string
  void typed.call("POST /api/sessions", { json: { title: 5 } });
  // @ts-expect-error: the route has no :name
  void typed.call("GET /api/sessions", { params: { name: "x" } });
}
void neverCalled;
