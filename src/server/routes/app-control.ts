/** /api/app/*: window activation (second launch), quit from the UI, opening links outside the app. */
import { Elysia, t } from "elysia";
import { ValidationError } from "../../core/errors.ts";
import { openExternal, type ShellControl } from "../../shell/shell-control.ts";

export function appControlRoutes(shell: ShellControl) {
  return new Elysia({ name: "app-control", prefix: "/api/app" })
    .post("/activate", () => ({ shown: shell.activate() }), {
      detail: { summary: "Show and focus the window (used by a second launch)", tags: ["app"] },
    })
    .post(
      "/quit",
      () => {
        setTimeout(() => shell.quit(), 50);
        return { quitting: true };
      },
      { detail: { summary: "Quit Sage cleanly", tags: ["app"] } },
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
        detail: { summary: "Open a link in the system browser", tags: ["app"] },
      },
    );
}
