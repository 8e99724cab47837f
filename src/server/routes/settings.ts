/**
 * /api/settings: user settings (General), environment variables for tools (values of secret ones
 * never returned), portable export/import (sage.settings.v1, no secrets), the diagnostics bundle,
 * paths for About, opening Sage's own folders, and saving a file to Downloads (for the native window,
 * which cannot download).
 */
import { dirname } from "node:path";
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { ValidationError } from "../../core/errors.ts";
import type { SaveChoice } from "../../desktop/file-chooser.ts";
import { openExternal } from "../../desktop/shell-control.ts";
import { buildDiagnosticsBundle, collectKnownSecrets } from "../../portable/diagnostics.ts";
import {
  exportSettings,
  importSettings,
  type PortableDeps,
  previewSettingsImport,
  SettingsFile,
} from "../../portable/portable.ts";
import { createWorkspace } from "../../sandbox/workspace.ts";
import { SEARCH_PROVIDERS } from "../../search/providers.ts";
import { WEB_SEARCH_KEY_MAX } from "../../search/web-search-keys.ts";
import { downloadsFolder, SAVED_FILE_MAX_BYTES, saveDownload } from "../../settings/downloads.ts";
import { SavedFile } from "../../shared/desktop.ts";
import { SettingsImportPreview, SettingsImportResult } from "../../shared/permissions.ts";
import {
  AppPaths,
  type EnvironmentUpdate,
  EnvironmentVariableView,
  type SettingsPatch,
  UserSettings,
  WebSearchKeyState,
} from "../../shared/settings.ts";
import { journalMode } from "../../store/database.ts";
import { resolveRequestPath } from "../../workspace/request-path.ts";
import { bodyLimit, MiB } from "../body-limits.ts";
import { fileAnswer } from "../responses.ts";
import { attachment } from "./agents.ts";

export interface SettingsRouteOptions {
  /** Where "save to Downloads" writes (default: the user's Downloads folder, looked up per request). */
  downloads?: () => string;
  /** How folders are opened (default: the desktop's opener). */
  open?: (path: string) => boolean;
  /** "Save as" with the desktop's own dialog (src/desktop/file-chooser.ts); absent: Downloads only. */
  chooseSavePath?: (fileName: string, title: string) => Promise<SaveChoice>;
}

/** The web search providers that take an API key. */
const WEB_SEARCH_KEYED = ["brave", "tavily", "serper"] as const;

const FOLDERS = ["data", "logs", "config", "workspaces", "skills", "downloads"] as const;
type FolderName = (typeof FOLDERS)[number];

export function settingsRoutes(app: AppContext, options: SettingsRouteOptions = {}) {
  const downloads = options.downloads ?? (() => downloadsFolder(app.paths.userHome));
  const open = options.open ?? openExternal;
  const portable = (): PortableDeps => ({
    settings: app.settings,
    environment: app.environment,
    providers: app.providers,
    agents: app.agents,
    mcp: app.mcp.store,
    version: app.version,
    permissions: { tools: app.tools, workspacesRoot: app.paths.workspaces },
  });
  const folders = (): Record<FolderName, string> => ({
    data: app.paths.data,
    logs: app.paths.logs,
    config: app.paths.config,
    workspaces: app.paths.workspaces,
    skills: app.paths.skills,
    downloads: downloads(),
  });

  return new Elysia({ name: "settings", prefix: "/api/settings", detail: { tags: ["settings"] } })
    .get("/", () => app.settings.get(), {
      response: UserSettings,
      detail: { summary: "Language, theme, browser mode, setup state" },
    })
    .patch("/", ({ body }) => app.settings.update(body as SettingsPatch), {
      body: t.Unknown({ description: "SettingsPatch (src/shared/settings.ts)" }),
      response: UserSettings,
      detail: { summary: "Change some settings; an invalid value changes nothing" },
    })
    .get(
      "/web-search",
      async (): Promise<WebSearchKeyState[]> =>
        Promise.all(
          WEB_SEARCH_KEYED.map(async (provider) => ({
            provider,
            hasKey: await app.webSearchKeys.has(provider),
          })),
        ),
      {
        response: t.Array(WebSearchKeyState),
        detail: {
          summary: "Which web search providers have an API key stored (the keys are never returned)",
        },
      },
    )
    .put(
      "/web-search/key",
      async ({ body }) => {
        await app.webSearchKeys.set(body.provider, body.key);
        return { provider: body.provider, hasKey: body.key.trim() !== "" } satisfies WebSearchKeyState;
      },
      {
        body: t.Object({
          provider: t.UnionEnum(WEB_SEARCH_KEYED),
          key: t.String({ maxLength: WEB_SEARCH_KEY_MAX }),
        }),
        response: WebSearchKeyState,
        detail: { summary: "Store a web search provider's API key in the keychain; an empty key deletes it" },
      },
    )
    .get("/environment", () => ({ variables: app.environment.list() }), {
      response: t.Object({ variables: t.Array(EnvironmentVariableView) }),
      detail: { summary: "Variables tools and skills see; secret values are never returned (hasValue)" },
    })
    .put(
      "/environment",
      async ({ body }) => ({ variables: await app.environment.replace(body as EnvironmentUpdate) }),
      {
        body: t.Unknown({ description: "EnvironmentUpdate: { variables: [{ name, secret, value? }] }" }),
        response: t.Object({ variables: t.Array(EnvironmentVariableView) }),
        detail: { summary: "Replace the list; a secret without value keeps its stored value" },
      },
    )
    .get(
      "/export",
      ({ set }) => {
        set.headers["content-disposition"] = attachment(`sage-settings-${today()}.json`);
        return exportSettings(portable());
      },
      {
        detail: {
          summary: "Everything but secrets as one sage.settings.v1 file",
          ...fileAnswer("The settings file as a download (Content-Disposition: attachment)", {
            "application/json": SettingsFile,
          }),
        },
      },
    )
    .post(
      "/import/preview",
      async ({ body }) => {
        await app.mcp.store.loadSecrets();
        return previewSettingsImport(portable(), body.content);
      },
      {
        body: t.Object({ content: t.String({ maxLength: 25_000_000 }) }),
        response: SettingsImportPreview,
        detail: {
          summary:
            "The permissions each agent of a sage.settings.v1 file would widen (beyond the agent it updates, or a new agent's defaults); nothing is written",
          ...bodyLimit(32 * MiB),
        },
      },
    )
    .post(
      "/import",
      async ({ body }) => {
        await app.mcp.store.loadSecrets();
        const result = importSettings(portable(), body.content, body.accept ?? {}, body.acceptServers ?? []);
        app.mcp.configsImported([...result.mcpServers.created, ...result.mcpServers.updated]);
        // The search key never travels in the file: say so when this machine has none for the chosen one.
        const chosen = app.settings.get().webSearchProvider;
        const search = chosen === "none" ? undefined : SEARCH_PROVIDERS[chosen];
        if (search?.needsKey && !(await app.webSearchKeys.has(search.id)))
          result.needKeys.push(`${search.label} (web search)`);
        return result;
      },
      {
        body: t.Object({
          acceptServers: t.Optional(t.Array(t.String({ maxLength: 40 }), { maxItems: 200 })),
          content: t.String({ maxLength: 25_000_000 }),
          accept: t.Optional(
            t.Record(t.String({ maxLength: 200 }), t.Array(t.String({ maxLength: 500 }), { maxItems: 1000 })),
          ),
        }),
        response: SettingsImportResult,
        detail: {
          summary:
            "Import a sage.settings.v1 file; checked fully first, nothing changes on error. Widened agent permissions not listed in accept (per agent name) are not granted",
          ...bodyLimit(32 * MiB),
        },
      },
    )
    .get(
      "/diagnostics",
      async () => {
        const bundle = await buildDiagnosticsBundle({
          ...portable(),
          mode: app.mode,
          compiled: app.compiled,
          startedAt: app.startedAt,
          paths: app.paths,
          logger: app.logger,
          keyStorage: await app.providers.keyStorage(),
          facts: {
            database: { journalMode: journalMode(app.db) },
            counts: { providers: app.providers.list().length, agents: app.agents.list().length },
          },
          knownSecrets: [...(await collectKnownSecrets(app)), ...(await app.mcp.secretValues())],
        });
        return new Response(new Blob([bundle as Uint8Array<ArrayBuffer>]), {
          headers: {
            "content-type": "application/zip",
            "content-disposition": attachment(`sage-diagnostics-${today()}.zip`),
            "cache-control": "no-store",
          },
        });
      },
      {
        detail: {
          summary: "A .zip for bug reports: system facts, settings without secrets, log tail (redacted)",
          ...fileAnswer("The diagnostics bundle as a download", { "application/zip": "binary" }),
        },
      },
    )
    .get(
      "/paths",
      async () => ({
        version: app.version,
        mode: app.mode,
        home: app.paths.home,
        ...folders(),
        database: app.paths.database,
        logFile: app.logger.filePath ?? null,
        keyStorage: await app.providers.keyStorage(),
      }),
      {
        response: AppPaths,
        detail: { summary: "Version and Sage's folders, for Settings → About" },
      },
    )
    .post(
      "/open-folder",
      async ({ body }) => {
        if (body.path === undefined) {
          const path = folders()[body.folder];
          return { opened: open(path), path };
        }
        if (body.folder !== "downloads") {
          throw new ValidationError("Only a file in Downloads can be shown by its path.", "path");
        }
        // A file Sage saved there: confined to the real Downloads folder, symlinks and ".." resolved.
        const root = { workspace: createWorkspace(downloads()), name: "Downloads", kind: "folder" } as const;
        const file = await resolveRequestPath(root, body.path, { form: "absolute", expect: "file" });
        const path = dirname(file.absolute);
        return { opened: open(path), path };
      },
      {
        body: t.Object({
          folder: t.UnionEnum(FOLDERS),
          /** With folder "downloads": a file Sage saved there, to show its folder. */
          path: t.Optional(t.String({ maxLength: 4096 })),
        }),
        response: t.Object({ opened: t.Boolean(), path: t.String() }),
        detail: { summary: "Open one of Sage's own folders in the file manager (never an arbitrary path)" },
      },
    )
    .post(
      "/save-download",
      async ({ body }) => {
        let data: Uint8Array;
        try {
          data = Uint8Array.from(Buffer.from(body.base64, "base64"));
        } catch {
          throw new ValidationError("The file data is not base64.", "base64");
        }
        if (data.byteLength > SAVED_FILE_MAX_BYTES)
          throw new ValidationError("The file is too large to save.", "data");
        // With `ask`: the desktop's "save as" dialog picks the place; without one, Downloads as before.
        const choice =
          body.ask && options.chooseSavePath
            ? await options.chooseSavePath(body.fileName, body.title ?? "Save")
            : ({ kind: "unavailable" } as const);
        if (choice.kind === "cancelled") return { cancelled: true };
        if (choice.kind === "chosen") {
          await Bun.write(choice.path, data);
          return { path: choice.path, chosen: true };
        }
        return { path: saveDownload(downloads(), body.fileName, data) };
      },
      {
        body: t.Object({
          fileName: t.String({ minLength: 1, maxLength: 255 }),
          base64: t.String({ maxLength: 70_000_000 }),
          /** Ask where to save with the desktop's dialog (when there is one). */
          ask: t.Optional(t.Boolean()),
          /** The dialog's title. */
          title: t.Optional(t.String({ maxLength: 200 })),
        }),
        response: SavedFile,
        detail: {
          summary:
            "Save a file the native window cannot download: where the desktop's dialog says, else into Downloads",
          ...bodyLimit(72 * MiB),
        },
      },
    );
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
