/**
 * Undo a turn's file changes (see sessions/undo.ts): GET /api/sessions/:id/file-changes says, per turn,
 * what Undo would restore and whether it was used; POST /api/sessions/:id/turns/:turnId/undo does it.
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { FileSnapshotStore } from "../../sessions/file-snapshots.ts";
import { turnFileChanges, undoTurn } from "../../sessions/undo.ts";
import { TurnFileChanges, UndoReport } from "../../shared/tools-api.ts";

const id = t.String({ minLength: 1, maxLength: 200 });

export function turnUndoRoutes(app: AppContext) {
  const snapshots = new FileSnapshotStore(app.db);
  return new Elysia({ name: "turn-undo", detail: { tags: ["sessions"] } })
    .get(
      "/api/sessions/:id/file-changes",
      ({ params }) => ({
        turns: turnFileChanges(
          {
            snapshots,
            paths: app.paths,
            credentialFolders: app.credentialFolders,
            repo: app.sessionRepo,
            agents: app.agents,
          },
          params.id,
        ),
      }),
      {
        params: t.Object({ id }),
        response: t.Object({ turns: t.Array(TurnFileChanges) }),
        detail: {
          summary: "Per turn that changed files: the files its Undo would restore, and when it was undone",
        },
      },
    )
    .post(
      "/api/sessions/:id/turns/:turnId/undo",
      ({ params, body }) =>
        undoTurn(
          {
            snapshots,
            paths: app.paths,
            credentialFolders: app.credentialFolders,
            repo: app.sessionRepo,
            agents: app.agents,
            events: app.events,
            isRunning: (sessionId) => app.sessions.isRunning(sessionId),
          },
          { sessionId: params.id, turnId: params.turnId, force: body?.force === true },
        ),
      {
        params: t.Object({ id, turnId: id }),
        body: t.Optional(
          t.Object({
            force: t.Optional(
              t.Boolean({ description: "Undo even when newer turns changed the same files afterwards" }),
            ),
          }),
        ),
        response: UndoReport,
        detail: {
          summary:
            "Restore the files a turn changed (created files are deleted); 409 when newer turns changed them, unless force",
        },
      },
    );
}
