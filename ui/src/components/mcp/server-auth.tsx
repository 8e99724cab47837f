/**
 * The OAuth part of a remote server's card: "Sign in" when the server asked for one; while Sage waits
 * for the browser, the authorization page as a link (window mode has opened it in the system browser
 * already; in a browser tab the user clicks it) with Cancel; the signed-in state with "Sign out"; the
 * reason a sign-in failed. Shown only for servers whose status has `auth`.
 */
import { createSignal, Show } from "solid-js";
import type { McpAuthStatus } from "../../../../src/shared/mcp.ts";
import { t } from "../../i18n/index.ts";
import { notifyError } from "../../state/toasts.ts";
import { errorText } from "../settings/field.tsx";
import { mcpApi } from "./mcp-api.ts";

export function ServerAuth(props: { name: string; auth: McpAuthStatus; onChanged(): void }) {
  const [busy, setBusy] = createSignal(false);
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setBusy(false);
      props.onChanged();
    }
  };
  const waiting = () => (props.auth.signIn?.state === "waiting" ? props.auth.signIn : undefined);
  const failed = () => (props.auth.signIn?.state === "failed" ? props.auth.signIn.error : undefined);

  return (
    <section
      class="rounded-md border border-line p-2 text-sm flex flex-col gap-2"
      aria-label={t("mcp.auth.title")}
      data-testid="mcp-auth"
      data-signed-in={props.auth.signedIn ? "true" : "false"}
    >
      <div class="flex items-center gap-2 flex-wrap">
        <strong>{t("mcp.auth.title")}</strong>
        <span data-testid="mcp-auth-state">
          {props.auth.signedIn
            ? t("mcp.auth.signedIn")
            : waiting()
              ? t("mcp.auth.waiting")
              : t("mcp.auth.needed")}
        </span>
        <div class="ml-auto flex gap-1">
          <Show when={!waiting()}>
            <button
              type="button"
              class={props.auth.signedIn ? "btn-ghost border border-line" : "btn-primary"}
              disabled={busy()}
              onClick={() => act(() => mcpApi.signIn(props.name))}
              data-testid="mcp-sign-in"
            >
              {props.auth.signedIn ? t("mcp.auth.signInAgain") : t("mcp.auth.signIn")}
            </button>
          </Show>
          <Show when={waiting()}>
            <button
              type="button"
              class="btn-ghost border border-line"
              disabled={busy()}
              onClick={() => act(() => mcpApi.cancelSignIn(props.name))}
              data-testid="mcp-sign-in-cancel"
            >
              {t("mcp.auth.cancel")}
            </button>
          </Show>
          <Show when={props.auth.signedIn}>
            <button
              type="button"
              class="btn-ghost border border-line text-danger"
              disabled={busy()}
              onClick={() => act(() => mcpApi.signOut(props.name))}
              data-testid="mcp-sign-out"
            >
              {t("mcp.auth.signOut")}
            </button>
          </Show>
        </div>
      </div>
      <Show when={waiting()}>
        {(pending) => (
          <p class="m-0 text-xs">
            {t("mcp.auth.openHint")}{" "}
            <a
              href={pending().url}
              target="_blank"
              rel="noopener noreferrer"
              class="text-accent break-all"
              data-testid="mcp-sign-in-link"
            >
              {t("mcp.auth.openLink")}
            </a>
          </p>
        )}
      </Show>
      <Show when={failed()}>
        <p class="m-0 text-xs text-danger" role="alert" data-testid="mcp-auth-error">
          {failed()}
        </p>
      </Show>
    </section>
  );
}
