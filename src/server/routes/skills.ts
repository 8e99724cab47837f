/**
 * /api/skills: the skill library — list (with problems and per-agent enablement), open, read/write files,
 * create from a template, delete, reset to built-in, diff with the shipped version, import (.zip upload,
 * a folder or .zip path on this machine, other tools' skill folders), export as .zip.
 *
 * Skills are addressed by folder name. Every change refreshes the app's SkillService (see SkillLibrary).
 */
import { homedir } from "node:os";
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { ContentTooLargeError, ValidationError } from "../../core/errors.ts";
import { formatBytes } from "../../shared/byte-size.ts";
import {
  ExternalSkillSource,
  SKILL_EDITABLE_MAX_BYTES,
  SKILL_TEMPLATES,
  SKILL_ZIP_MAX_BYTES,
  SkillDetailResponse,
  SkillDiffFile,
  SkillEntry,
  SkillFileContent,
  SkillImportResponse,
  SkillListResponse,
  SkillWriteResponse,
} from "../../shared/skills.ts";
import { listExternalSkillSources } from "../../skills/external-sources.ts";
import { SkillLibrary } from "../../skills/library.ts";
import { SKILL_DESCRIPTION_MAX_LENGTH } from "../../skills/types.ts";
import { bodyLimit, MULTIPART_FRAMING_BYTES, readBodyWithin } from "../body-limits.ts";
import { fileAnswer } from "../responses.ts";

export interface SkillRouteOptions {
  /** Home folder searched for other tools' skills (default: the user's home). */
  userHome?: string;
}

const folder = t.String({ minLength: 1, maxLength: 255, description: "The skill's folder name" });
const filePath = t.String({
  minLength: 1,
  maxLength: 1024,
  description: "Path relative to the skill folder",
});
const overwriteQuery = t.Object({
  overwrite: t.Optional(t.BooleanString({ description: "Replace a skill of the same name" })),
});

/**
 * The uploaded archive: a multipart `file` field, or the raw request body. The app's body parser has
 * refused a Content-Length over the route's limit; a raw body is counted as it is read and reading
 * stops at the limit; a multipart body (always sent with a length by browsers, else bounded by the
 * server's cap) must parse as a form with a file.
 */
async function uploadedZip(request: Request): Promise<{ data: Uint8Array; label: string }> {
  const tooLarge = () =>
    new ContentTooLargeError(
      `The upload is larger than ${formatBytes(SKILL_ZIP_MAX_BYTES)}.`,
      SKILL_ZIP_MAX_BYTES,
      "file",
    );
  const type = request.headers.get("content-type") ?? "";
  if (type.toLowerCase().startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new ValidationError(
        "The upload is not a readable multipart form; send the .zip in a field named 'file', or as the raw body.",
        "file",
      );
    }
    const file = form.get("file");
    if (!(file instanceof Blob))
      throw new ValidationError("Send the .zip in a form field named 'file'.", "file");
    if (file.size > SKILL_ZIP_MAX_BYTES) throw tooLarge();
    const label = file instanceof File && file.name ? file.name : "the uploaded archive";
    return { data: new Uint8Array(await file.arrayBuffer()), label };
  }
  if (!request.body) return { data: new Uint8Array(0), label: "the uploaded archive" };
  const data = await readBodyWithin(request.body, SKILL_ZIP_MAX_BYTES).catch((error: unknown) => {
    throw error instanceof Error && error.name === "ContentTooLargeError" ? tooLarge() : error;
  });
  return { data, label: uploadLabel(request.headers.get("x-file-name")) };
}

/** The name a raw upload gave itself (x-file-name, percent-encoded), for messages. */
function uploadLabel(header: string | null): string {
  if (!header) return "the uploaded archive";
  let name = header;
  try {
    name = decodeURIComponent(header);
  } catch {
    // shown as sent
  }
  return name.replace(/\p{Cc}/gu, "").slice(0, 200) || "the uploaded archive";
}

export function skillRoutes(app: AppContext, options: SkillRouteOptions = {}) {
  const library = new SkillLibrary({
    skills: app.skills,
    agents: app.agents,
    ownFolders: [
      { folder: app.paths.data, what: "Sage's data folder" },
      { folder: app.paths.config, what: "Sage's settings folder" },
      { folder: app.paths.logs, what: "Sage's log folder" },
    ],
  });
  const userHome = options.userHome ?? app.skills.home ?? homedir();
  return (
    new Elysia({ name: "skills", prefix: "/api/skills", detail: { tags: ["skills"] } })
      // The built-in sync runs after start-up; every skills request waits for it to finish first.
      .onBeforeHandle(async () => {
        await app.skills.ready();
      })
      .get("/", () => library.list(), {
        response: SkillListResponse,
        detail: { summary: "Every skill folder with its source, problems and the agents that enable it" },
      })
      .post("/", ({ body }) => library.create(body), {
        body: t.Object({
          name: t.String({ maxLength: 200 }),
          description: t.String({ maxLength: SKILL_DESCRIPTION_MAX_LENGTH + 200 }),
          template: t.Optional(t.UnionEnum(SKILL_TEMPLATES)),
        }),
        response: SkillEntry,
        detail: { summary: "Create a skill from a template (name: lowercase letters, digits, hyphens)" },
      })
      .get(
        "/import/sources",
        async () => ({ sources: await listExternalSkillSources(userHome, app.skills.userSkillsDir) }),
        {
          response: t.Object({ sources: t.Array(ExternalSkillSource) }),
          detail: { summary: "Skills in other tools' folders (~/.claude/skills, ~/.agents/skills)" },
        },
      )
      .post(
        "/import/zip",
        async ({ request, query }) => {
          const { data, label } = await uploadedZip(request);
          if (data.length === 0) throw new ValidationError("The upload is empty; send a .zip file.", "file");
          return library.importZip(data, label, query.overwrite ?? false);
        },
        {
          parse: "none",
          query: overwriteQuery,
          response: SkillImportResponse,
          detail: {
            summary: "Import a skill from a .zip (multipart field 'file', or the raw body)",
            ...bodyLimit(SKILL_ZIP_MAX_BYTES + MULTIPART_FRAMING_BYTES),
          },
        },
      )
      .post("/import/path", ({ body }) => library.importPath(body.path, body.overwrite ?? false), {
        body: t.Object({
          path: t.String({ minLength: 1, maxLength: 4096 }),
          overwrite: t.Optional(t.Boolean()),
        }),
        response: SkillImportResponse,
        detail: { summary: "Import a skill from a folder or a .zip file on this machine (absolute path)" },
      })
      .get("/:name", ({ params }) => library.detail(params.name), {
        params: t.Object({ name: folder }),
        response: SkillDetailResponse,
        detail: { summary: "One skill: its entry and its files" },
      })
      .delete(
        "/:name",
        async ({ params }) => {
          await library.delete(params.name);
          return { deleted: true };
        },
        {
          params: t.Object({ name: folder }),
          response: t.Object({ deleted: t.Literal(true) }),
          detail: { summary: "Delete a skill (moved to .backup; a deleted built-in stays deleted)" },
        },
      )
      .get("/:name/file", ({ params, query }) => library.readFile(params.name, query.path), {
        params: t.Object({ name: folder }),
        query: t.Object({ path: filePath }),
        response: SkillFileContent,
        detail: { summary: "Read a text file of the skill" },
      })
      .put("/:name/file", ({ params, body }) => library.writeFile(params.name, body.path, body.text), {
        params: t.Object({ name: folder }),
        body: t.Object({ path: filePath, text: t.String({ maxLength: SKILL_EDITABLE_MAX_BYTES }) }),
        response: SkillWriteResponse,
        detail: {
          summary: "Write (or create) a text file of the skill",
          ...bodyLimit(8 * SKILL_EDITABLE_MAX_BYTES),
        },
      })
      .delete("/:name/file", ({ params, query }) => library.deleteFile(params.name, query.path), {
        params: t.Object({ name: folder }),
        query: t.Object({ path: filePath }),
        response: SkillEntry,
        detail: { summary: "Delete a file of the skill (not SKILL.md)" },
      })
      .post("/:name/reset", ({ params }) => library.resetToBuiltin(params.name), {
        params: t.Object({ name: folder }),
        response: SkillEntry,
        detail: { summary: "Replace the folder with the shipped built-in (the old copy goes to .backup)" },
      })
      .get("/:name/diff", async ({ params }) => ({ files: await library.diffWithBuiltin(params.name) }), {
        params: t.Object({ name: folder }),
        response: t.Object({ files: t.Array(SkillDiffFile) }),
        detail: { summary: "Differences between the newer shipped built-in and the user's copy" },
      })
      .get(
        "/:name/export",
        async ({ params }) => {
          const zip = await library.exportZip(params.name);
          return new Response(new Uint8Array(zip), {
            headers: {
              "content-type": "application/zip",
              "content-disposition": `attachment; filename="${params.name.replace(/[^\w.-]+/g, "_")}.zip"`,
              "cache-control": "no-store",
            },
          });
        },
        {
          params: t.Object({ name: folder }),
          detail: {
            summary: "Download the skill as a .zip",
            ...fileAnswer("The skill folder as a .zip", { "application/zip": "binary" }),
          },
        },
      )
      .put(
        "/:name/agents/:agentId",
        async ({ params, body }) => ({
          skills: await library.setEnabled(params.name, params.agentId, body.enabled),
        }),
        {
          params: t.Object({ name: folder, agentId: t.String({ minLength: 1, maxLength: 200 }) }),
          body: t.Object({ enabled: t.Boolean() }),
          response: t.Object({
            skills: t.Union([t.Literal("all"), t.Array(t.String())], {
              description: "The agent's skills setting afterwards",
            }),
          }),
          detail: { summary: "Turn the skill on or off for one agent (updates the agent's skills setting)" },
        },
      )
  );
}
