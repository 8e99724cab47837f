/**
 * Preview of one workspace file, by kind: text and code (line numbers, highlighting), Markdown
 * (rendered, or its source), images, PDF (the browser's viewer in a frame), anything else as its size
 * with a download button. The header offers download, show in the file manager and delete. `version`
 * changes when the file changed on disk: the preview reloads.
 */
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { formatBytes } from "../../../../src/shared/byte-size.ts";
import type { WorkspaceFileInfo } from "../../../../src/shared/workspace.ts";
import { t } from "../../i18n/index.ts";
import type { ApiError } from "../../lib/api.ts";
import { notifyError } from "../../state/toasts.ts";
import { DownloadIcon, FolderIcon } from "../icons.tsx";
import { Markdown } from "../markdown/markdown.tsx";
import { CodeView } from "./code-view.tsx";
import { formatTime } from "./format.ts";
import {
  deleteEntry,
  downloadHandler,
  fileInfo,
  fileUrl,
  openInFileManager,
  readText,
} from "./workspace-api.ts";

/** Most bytes of a text file shown. */
export const TEXT_PREVIEW_BYTES = 512 * 1024;

interface Loaded {
  info: WorkspaceFileInfo;
  text?: string;
  truncated?: boolean;
}

export function FilePreview(props: {
  agentId: string;
  path: string;
  version: number;
  onClose(): void;
  onDeleted(path: string): void;
}) {
  const [showSource, setShowSource] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const [loaded] = createResource(
    () => ({ agentId: props.agentId, path: props.path, version: props.version }),
    async ({ agentId, path }): Promise<Loaded | { missing: true } | { error: string }> => {
      try {
        const info = await fileInfo(agentId, path);
        if (info.preview !== "text" && info.preview !== "markdown") return { info };
        const { text, truncated } = await readText(agentId, path, TEXT_PREVIEW_BYTES);
        return { info, text, truncated };
      } catch (error) {
        if ((error as ApiError).status === 404) return { missing: true };
        return { error: (error as Error).message };
      }
    },
  );
  const current = () => {
    const value = loaded.latest;
    return value && "info" in value ? value : undefined;
  };
  const info = () => current()?.info;

  const remove = async () => {
    if (!confirming()) {
      setConfirming(true);
      setTimeout(() => setConfirming(false), 4000);
      return;
    }
    setConfirming(false);
    try {
      await deleteEntry(props.agentId, props.path);
      props.onDeleted(props.path);
    } catch (error) {
      notifyError((error as Error).message);
    }
  };

  const showInFolder = async () => {
    try {
      const result = await openInFileManager(props.agentId, props.path);
      if (!result.opened) notifyError(t("workspace.openFailed"));
    } catch (error) {
      notifyError((error as Error).message);
    }
  };

  return (
    <section class="flex flex-col min-h-0 h-full" data-testid="workspace-preview" data-path={props.path}>
      <header class="flex items-center gap-1 px-2 py-1.5 border-b border-line">
        <div class="min-w-0 flex-1">
          <div class="truncate text-sm font-medium" title={props.path}>
            {props.path.split("/").pop()}
          </div>
          <Show when={info()}>
            {(details) => (
              <div class="text-xs text-muted truncate">
                {formatBytes(details().size)} · {formatTime(details().mtime)}
              </div>
            )}
          </Show>
        </div>
        <Show when={info()?.preview === "markdown"}>
          <button
            type="button"
            class="btn-ghost !px-2 !py-1 text-xs"
            aria-pressed={showSource()}
            onClick={() => setShowSource(!showSource())}
          >
            {showSource() ? t("workspace.rendered") : t("workspace.source")}
          </button>
        </Show>
        <a
          class="icon-btn"
          href={fileUrl(props.agentId, props.path, { download: true })}
          download={props.path.split("/").pop()}
          onClick={downloadHandler(props.agentId, props.path)}
          title={t("workspace.download")}
          aria-label={t("workspace.download")}
        >
          <DownloadIcon size={15} />
        </a>
        <button
          type="button"
          class="icon-btn"
          title={t("workspace.showInFolder")}
          aria-label={t("workspace.showInFolder")}
          onClick={() => void showInFolder()}
        >
          <FolderIcon size={15} />
        </button>
        <button
          type="button"
          class="btn-ghost !px-2 !py-1 text-xs"
          classList={{ "text-danger": confirming() }}
          onClick={() => void remove()}
          data-testid="workspace-delete"
        >
          {confirming() ? t("workspace.confirmDelete") : t("workspace.delete")}
        </button>
        <button
          type="button"
          class="icon-btn"
          title={t("workspace.closePreview")}
          aria-label={t("workspace.closePreview")}
          onClick={() => props.onClose()}
        >
          <CloseGlyph />
        </button>
      </header>
      <div class="flex-1 min-h-0 overflow-auto bg-panel">
        <Switch>
          <Match when={loaded.loading && !current()}>
            <p class="p-3 text-sm text-muted">{t("workspace.loading")}</p>
          </Match>
          <Match when={loaded.latest && "missing" in loaded.latest}>
            <p class="p-3 text-sm text-muted">{t("workspace.gone")}</p>
          </Match>
          <Match when={loaded.latest && "error" in loaded.latest && loaded.latest}>
            {(failed) => <p class="p-3 text-sm text-danger">{(failed() as { error: string }).error}</p>}
          </Match>
          <Match when={current()}>
            {(file) => (
              <Body
                agentId={props.agentId}
                file={file()}
                showSource={showSource()}
                version={file().info.mtime}
              />
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
}

function Body(props: { agentId: string; file: Loaded; showSource: boolean; version: number }) {
  const info = () => props.file.info;
  return (
    <>
      <Show when={props.file.truncated}>
        <p class="px-3 py-1 text-xs text-warn border-b border-line">
          {t("workspace.previewTruncated", { size: formatBytes(TEXT_PREVIEW_BYTES) })}
        </p>
      </Show>
      <Switch
        fallback={
          <div class="p-4 flex flex-col items-start gap-2 text-sm">
            <p class="text-muted m-0">{t("workspace.noPreview", { type: info().mime })}</p>
            <a
              class="btn-primary no-underline"
              href={fileUrl(props.agentId, info().path, { download: true })}
              download={info().name}
              onClick={downloadHandler(props.agentId, info().path)}
            >
              <DownloadIcon size={14} /> {t("workspace.download")} ({formatBytes(info().size)})
            </a>
          </div>
        }
      >
        <Match when={info().preview === "text" || (info().preview === "markdown" && props.showSource)}>
          <CodeView
            text={props.file.text ?? ""}
            language={info().preview === "markdown" ? "markdown" : info().language}
          />
        </Match>
        <Match when={info().preview === "markdown"}>
          <div class="px-4 py-3">
            <Markdown text={props.file.text ?? ""} />
          </div>
        </Match>
        <Match when={info().preview === "image"}>
          <div class="p-3 flex justify-center">
            <img
              src={fileUrl(props.agentId, info().path, { version: props.version })}
              alt={info().name}
              class="max-w-full h-auto rounded border border-line bg-bg"
            />
          </div>
        </Match>
        <Match when={info().preview === "pdf"}>
          <div class="h-full flex flex-col">
            <iframe
              src={fileUrl(props.agentId, info().path, { version: props.version })}
              title={info().name}
              class="flex-1 w-full min-h-80 border-0 bg-bg"
            />
            <p class="px-3 py-1 m-0 text-xs text-muted">{t("workspace.pdfHint")}</p>
          </div>
        </Match>
      </Switch>
    </>
  );
}

export function CloseGlyph() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true">
      <path
        d="M6 6l12 12M18 6 6 18"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
      />
    </svg>
  );
}
