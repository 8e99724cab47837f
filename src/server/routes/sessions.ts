/** /api/sessions: list, create, read messages (paged from the end), rename, pin, delete/undo, edit, regenerate, versions. */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { exportJson, exportMarkdown, importJson, SessionExport } from "../../sessions/export.ts";
import { searchSessions } from "../../sessions/search.ts";
import { fileNameFrom } from "../../shared/file-name.ts";
import {
  MessagePage,
  SessionModel,
  SessionPage,
  SessionSearchHit,
  SessionSummary,
} from "../../shared/session.ts";
import { contentDisposition } from "../../workspace/files.ts";
import { bodyLimit, MiB } from "../body-limits.ts";
import { fileAnswer } from "../responses.ts";

const id = t.String({ minLength: 1, maxLength: 200 });

export function sessionRoutes(app: AppContext) {
  const { sessions } = app;
  const exportDeps = { sessions, repo: app.sessionRepo, agents: app.agents };
  const importDeps = { db: app.db, repo: app.sessionRepo, agents: app.agents, sessions };
  return new Elysia({ name: "sessions", prefix: "/api/sessions", detail: { tags: ["sessions"] } })
    .get(
      "/",
      ({ query }) =>
        sessions.list({ limit: query.limit ?? 50, cursor: query.cursor, agentId: query.agentId }),
      {
        query: t.Object({
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 500 })),
          cursor: t.Optional(t.String({ maxLength: 300, description: "nextCursor of the previous page" })),
          agentId: t.Optional(t.String()),
        }),
        response: SessionPage,
        detail: {
          summary: "Sessions, pinned first then newest first, with running state; nextCursor pages on",
        },
      },
    )
    .post("/", ({ body }) => sessions.create(body?.agentId, body?.title), {
      body: t.Optional(
        t.Object({ agentId: t.Optional(id), title: t.Optional(t.String({ maxLength: 200 })) }),
      ),
      response: SessionSummary,
      detail: { summary: "Create a session (with the default agent unless one is given)" },
    })
    .get(
      "/search",
      ({ query }) => ({ hits: searchSessions(app.db, app.user.id, query.q, query.limit ?? 30) }),
      {
        query: t.Object({
          q: t.String({ maxLength: 500 }),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: t.Object({ hits: t.Array(SessionSearchHit) }),
        detail: { summary: "Full-text search over titles and messages; matches are wrapped in «»" },
      },
    )
    .post("/import", ({ body }) => importJson(importDeps, body), {
      body: t.Unknown(),
      response: SessionSummary,
      detail: {
        summary: "Import a session exported as JSON (format sage.session.v1)",
        ...bodyLimit(64 * MiB),
      },
    })
    .get("/:id", ({ params }) => sessions.get(params.id), {
      params: t.Object({ id }),
      response: SessionSummary,
      detail: { summary: "One session's summary" },
    })
    .patch("/:id", ({ params, body }) => sessions.update(params.id, body), {
      params: t.Object({ id }),
      body: t.Object({
        title: t.Optional(t.String({ maxLength: 200 })),
        pinned: t.Optional(t.Boolean()),
        model: t.Optional(t.Union([SessionModel, t.Null()])),
      }),
      response: SessionSummary,
      detail: { summary: "Rename, pin, or pick the session's model (null: the agent's default)" },
    })
    .delete(
      "/:id",
      async ({ params }) => {
        await sessions.delete(params.id);
        return { deleted: true, undoUntil: Date.now() + 10 * 60 * 1000 };
      },
      {
        params: t.Object({ id }),
        response: t.Object({ deleted: t.Literal(true), undoUntil: t.Number() }),
        detail: { summary: "Delete (restorable for 10 minutes)" },
      },
    )
    .post("/:id/leave", async ({ params }) => ({ removed: await sessions.leave(params.id) }), {
      params: t.Object({ id }),
      response: t.Object({ removed: t.Boolean() }),
      detail: {
        summary:
          "The user left this chat: removed (as a delete) if it was never used — no message, no title, not pinned",
      },
    })
    .post("/:id/restore", ({ params }) => sessions.restore(params.id), {
      params: t.Object({ id }),
      response: SessionSummary,
      detail: { summary: "Undo a delete" },
    })
    .get(
      "/:id/messages",
      ({ params, query }) => sessions.messages(params.id, { limit: query.limit ?? 80, before: query.before }),
      {
        params: t.Object({ id }),
        query: t.Object({
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000 })),
          before: t.Optional(t.String({ description: "Return the messages before this one (older page)" })),
        }),
        response: MessagePage,
        detail: { summary: "Messages of the active branch, newest page first; subscribe after lastSeq" },
      },
    )
    .get(
      "/:id/messages/:messageId/versions",
      ({ params }) => {
        app.sessions.get(params.id);
        return { siblings: app.sessionRepo.siblings(params.messageId) };
      },
      {
        params: t.Object({ id, messageId: id }),
        response: t.Object({ siblings: t.Array(t.String(), { description: "Message ids, oldest first" }) }),
        detail: { summary: "The versions of a message (siblings), oldest first" },
      },
    )
    .post(
      "/:id/edit",
      ({ params, body }) => {
        sessions.edit(params.id, body.messageId, body.text, body.clientTurnId, body.plan);
        return { queued: true };
      },
      {
        params: t.Object({ id }),
        body: t.Object({
          messageId: id,
          text: t.String({ minLength: 1, maxLength: 1_000_000 }),
          clientTurnId: id,
          plan: t.Optional(
            t.Boolean({
              description: "Plan mode for the new version; absent: as the edited message was sent",
            }),
          ),
        }),
        response: t.Object({ queued: t.Literal(true) }),
        detail: {
          summary: "Edit a user message: a new version and a new turn (the old one stays reachable)",
          ...bodyLimit(8 * MiB),
        },
      },
    )
    .post(
      "/:id/regenerate",
      ({ params, body }) => {
        sessions.regenerate(params.id, body.messageId, body.clientTurnId);
        return { queued: true };
      },
      {
        params: t.Object({ id }),
        body: t.Object({ messageId: id, clientTurnId: id }),
        response: t.Object({ queued: t.Literal(true) }),
        detail: { summary: "Answer a user message again (the old answer stays reachable)" },
      },
    )
    .post("/:id/continue", ({ params }) => sessions.continueInNewChat(params.id), {
      params: t.Object({ id }),
      response: SessionSummary,
      detail: {
        summary:
          "Continue in a new chat: a new session (same agent and model) that starts from a summary of this one and links back to it",
      },
    })
    .post(
      "/:id/switch-version",
      ({ params, body }) => {
        sessions.switchVersion(params.id, body.messageId);
        return { switched: true };
      },
      {
        params: t.Object({ id }),
        body: t.Object({ messageId: id }),
        response: t.Object({ switched: t.Literal(true) }),
        detail: { summary: "Show another version of a message" },
      },
    )
    .get(
      "/:id/export",
      ({ params, query, set }) => {
        const summary = sessions.get(params.id);
        const format = query.format ?? "md";
        set.headers["content-disposition"] = contentDisposition(
          "attachment",
          fileNameFrom(summary.title, format),
        );
        if (format === "json") return exportJson(exportDeps, params.id);
        set.headers["content-type"] = "text/markdown; charset=utf-8";
        return exportMarkdown(exportDeps, params.id);
      },
      {
        params: t.Object({ id }),
        query: t.Object({ format: t.Optional(t.Union([t.Literal("md"), t.Literal("json")])) }),
        detail: {
          summary: "Export the active branch as Markdown or JSON (sage.session.v1)",
          ...fileAnswer("The session as a download (Content-Disposition: attachment)", {
            "text/markdown": "text",
            "application/json": SessionExport,
          }),
        },
      },
    );
}
