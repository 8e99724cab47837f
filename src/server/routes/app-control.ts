/**
 * /api/app/*: window activation (second launch), quit from the UI, opening links outside the app, the
 * pages' focus reports and the desktop integration's status (notifications), and —
 * only when the shell provides test hooks — /api/app/debug/* for the window tests.
 */

import { existsSync } from "node:fs";
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import type { DesktopServices } from "../../app/desktop-services.ts";
import { ValidationError } from "../../core/errors.ts";
import { currentOs } from "../../core/platform.ts";
import { readChosenFiles } from "../../desktop/chosen-files.ts";
import { DeepLinkError, parseDeepLink } from "../../desktop/deep-link.ts";
import {
  autostartEnabled,
  desktopEntryPaths,
  installDesktopEntry,
  setAutostart,
} from "../../desktop/desktop-entry.ts";
import { openExternal, type ShellControl } from "../../desktop/shell-control.ts";
import { DesktopStatus, OpenedFiles } from "../../shared/desktop.ts";

const Autostart = t.Object({
  available: t.Boolean({ description: "Only the built executable can start at login" }),
  enabled: t.Boolean(),
});

export function appControlRoutes(app: AppContext, shell: ShellControl, desktop?: DesktopServices) {
  // The desktop entry and the autostart entry are XDG files: Linux only.
  const xdgDesktop = currentOs() === "linux";
  const routes = new Elysia({ name: "app-control", prefix: "/api/app" })
    .post(
      "/focus",
      ({ body }) => {
        return { focused: desktop?.reportFocus(body.clientId, body.focused) ?? body.focused };
      },
      {
        body: t.Object({ clientId: t.String({ minLength: 1, maxLength: 64 }), focused: t.Boolean() }),
        response: t.Object({ focused: t.Boolean() }),
        detail: {
          summary: "A page reports whether it has the focus (no desktop notifications while one does)",
          tags: ["app"],
        },
      },
    )
    .get(
      "/desktop",
      (): DesktopStatus => ({
        shell: shell.kind,
        notifications: desktop?.notifications ?? { status: "no-bus" },
        tray: desktop?.tray ?? "unavailable",
      }),
      {
        response: DesktopStatus,
        detail: {
          summary: "What the desktop integration can do here (notifications, tray icon)",
          tags: ["app"],
        },
      },
    )
    .post(
      "/open-url",
      ({ body }) => {
        let link: ReturnType<typeof parseDeepLink>;
        try {
          link = parseDeepLink(body.url);
        } catch (error) {
          if (error instanceof DeepLinkError) throw new ValidationError(error.message, "url");
          throw error;
        }
        let sessionId: string;
        const draft = link.kind === "new" ? link.prompt : undefined;
        if (link.kind === "session") {
          sessionId = app.sessions.get(link.sessionId).id;
        } else {
          const agent = link.agent
            ? app.agents.list().find((a) => a.id === link.agent || a.config.name === link.agent)
            : undefined;
          if (link.agent && !agent) throw new ValidationError(`No agent named "${link.agent}".`, "url");
          sessionId = app.sessions.create(agent?.id).id;
        }
        const shown = shell.activate();
        app.events.append({ type: "app.open-session", sessionId, ...(draft ? { draft } : {}) });
        return { sessionId, shown, ...(draft ? { draft } : {}) };
      },
      {
        body: t.Object({ url: t.String({ maxLength: 4096 }) }),
        response: t.Object({
          sessionId: t.String(),
          shown: t.Boolean(),
          /** sage://new?prompt=: the text put in the new chat's message box (not sent). */
          draft: t.Optional(t.String()),
        }),
        detail: {
          summary:
            "Open a sage:// link (sage://session/ID, sage://new?prompt=...&agent=...: the prompt is put in the new chat's message box, not sent) in this Sage",
          tags: ["app"],
        },
      },
    )
    .post(
      "/open-files",
      async ({ body }) => {
        const choice = desktop
          ? await desktop.chooseOpenPaths(body.title, body.multiple ?? false, body.filters ?? [])
          : ({ kind: "unavailable" } as const);
        if (choice.kind !== "chosen") return choice;
        return { kind: "chosen" as const, files: await readChosenFiles(choice.paths) };
      },
      {
        body: t.Object({
          title: t.String({ minLength: 1, maxLength: 200 }),
          multiple: t.Optional(t.Boolean()),
          filters: t.Optional(
            t.Array(
              t.Object({
                name: t.String({ minLength: 1, maxLength: 100 }),
                patterns: t.Array(t.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 20 }),
              }),
              { maxItems: 10 },
            ),
          ),
        }),
        response: OpenedFiles,
        detail: {
          summary:
            "Ask the desktop's Open dialog (the portal) for files and return their bytes; kind 'unavailable' without a portal (the page uses its own file input)",
          tags: ["app"],
        },
      },
    )
    .get(
      "/desktop-entry",
      () => {
        const installed = existsSync(desktopEntryPaths(process.env).desktopFile);
        const offer =
          xdgDesktop &&
          app.compiled &&
          shell.kind === "window" &&
          !installed &&
          !app.settings.get().desktopEntryOffered;
        return { installed, offer };
      },
      {
        response: t.Object({ installed: t.Boolean(), offer: t.Boolean() }),
        detail: {
          summary: "Whether Sage is in the application menu, and whether to offer it",
          tags: ["app"],
        },
      },
    )
    .post(
      "/desktop-entry",
      ({ body }) => {
        app.settings.update({ desktopEntryOffered: true });
        if (body.action === "install") {
          if (!app.compiled || !xdgDesktop)
            throw new ValidationError("Only the built Sage executable on Linux can be installed.", "action");
          installDesktopEntry(process.env, process.execPath);
        }
        return { installed: existsSync(desktopEntryPaths(process.env).desktopFile) };
      },
      {
        body: t.Object({ action: t.Union([t.Literal("offered"), t.Literal("install")]) }),
        response: t.Object({ installed: t.Boolean() }),
        detail: {
          summary: "The window offered the desktop entry (once), or the user accepted (as `sage --install`)",
          tags: ["app"],
        },
      },
    )
    .get(
      "/autostart",
      () => ({ available: app.compiled && xdgDesktop, enabled: autostartEnabled(process.env) }),
      {
        response: Autostart,
        detail: { summary: "Whether Sage starts at login (the XDG autostart entry)", tags: ["app"] },
      },
    )
    .put(
      "/autostart",
      ({ body }) => {
        // The entry must name a program that starts Sage by itself: only the built executable can.
        if (!app.compiled || !xdgDesktop)
          throw new ValidationError("Starting at login needs the built Sage executable on Linux.", "enabled");
        setAutostart(process.env, process.execPath, body.enabled);
        return { available: true, enabled: autostartEnabled(process.env) };
      },
      {
        body: t.Object({ enabled: t.Boolean() }),
        response: Autostart,
        detail: { summary: "Start Sage at login, or stop doing so", tags: ["app"] },
      },
    )
    .post("/activate", () => ({ shown: shell.activate() }), {
      response: t.Object({ shown: t.Boolean() }),
      detail: { summary: "Show and focus the window (used by a second launch)", tags: ["app"] },
    })
    .post(
      "/quit",
      () => {
        setTimeout(() => shell.quit(), 50);
        return { quitting: true as const };
      },
      {
        response: t.Object({ quitting: t.Literal(true) }),
        detail: { summary: "Quit Sage cleanly", tags: ["app"] },
      },
    )
    .post(
      "/open-external",
      ({ body }) => {
        let url: URL;
        try {
          url = new URL(body.url);
        } catch {
          throw new ValidationError("Not a valid URL.", "url");
        }
        if (!["http:", "https:", "mailto:"].includes(url.protocol)) {
          throw new ValidationError("Only http, https and mailto links can be opened.", "url");
        }
        return { opened: openExternal(url.href) };
      },
      {
        body: t.Object({ url: t.String({ maxLength: 8192 }) }),
        response: t.Object({ opened: t.Boolean() }),
        detail: { summary: "Open a link in the system browser", tags: ["app"] },
      },
    );
  const hooks = shell.testHooks;
  if (!hooks) return routes;
  // Test-only (SAGE_TEST_HOOKS=1): absent from normal runs and from the OpenAPI document.
  return routes
    .post(
      "/debug/crash-worker",
      () => {
        setTimeout(() => hooks.crashWorker(), 50);
        return { crashing: true };
      },
      { detail: { hide: true } },
    )
    .post(
      "/debug/close-window",
      () => {
        hooks.closeWindow?.();
        return { closing: hooks.closeWindow !== undefined };
      },
      { detail: { hide: true } },
    )
    .post(
      "/debug/report",
      ({ body }) => {
        hooks.report(body.name, body.data);
        return { reported: true };
      },
      { body: t.Object({ name: t.String({ maxLength: 100 }), data: t.Unknown() }), detail: { hide: true } },
    );
}
