/** Sidebar search: full-text over titles and messages, results highlighted; Enter/click jumps there. */
import { createSignal, For, onCleanup, Show } from "solid-js";
import { t } from "../../i18n/index.ts";
import { type AnswerOf, call } from "../../lib/api-client.ts";
import { navigate } from "../../lib/router.ts";

type Hit = AnswerOf<"GET /api/sessions/search">["hits"][number];

/** «match» markers from the server become <mark>; everything else is text (no HTML injection). */
export function Highlighted(props: { text: string }) {
  const pieces = () => props.text.split(/([«»])/);
  let inside = false;
  return (
    <For each={pieces()}>
      {(piece) => {
        if (piece === "«") inside = true;
        else if (piece === "»") inside = false;
        else if (piece) return inside ? <mark class="bg-warn/30 text-fg rounded-sm">{piece}</mark> : piece;
        return null;
      }}
    </For>
  );
}

export function SearchBox() {
  const [query, setQuery] = createSignal("");
  const [hits, setHits] = createSignal<Hit[] | undefined>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let input!: HTMLInputElement;
  onCleanup(() => clearTimeout(timer));

  const search = (value: string) => {
    setQuery(value);
    clearTimeout(timer);
    if (!value.trim()) return setHits(undefined);
    timer = setTimeout(async () => {
      try {
        const result = await call("GET /api/sessions/search", { query: { q: value } });
        if (query() === value) setHits(result.hits);
      } catch {
        setHits([]);
      }
    }, 150);
  };
  const open = (hit: Hit) => {
    navigate(`/s/${hit.sessionId}${hit.messageId ? `?m=${hit.messageId}` : ""}`);
    setQuery("");
    setHits(undefined);
    input.value = "";
  };

  return (
    <div class="relative">
      <input
        ref={input}
        type="search"
        class="input py-1.5 text-sm"
        placeholder={t("sidebar.searchPlaceholder")}
        aria-label={t("sidebar.search")}
        data-testid="search-input"
        onInput={(e) => search(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") search("");
          if (e.key === "Enter" && hits()?.[0]) open(hits()?.[0] as Hit);
        }}
      />
      <Show when={hits()}>
        {(list) => (
          <div
            class="absolute left-0 right-0 top-10 z-30 card bg-bg shadow-lg max-h-96 overflow-y-auto m-0 p-1"
            role="listbox"
            data-testid="search-results"
          >
            <Show when={list().length === 0}>
              <div class="px-2 py-2 text-sm text-muted">{t("sidebar.noResults")}</div>
            </Show>
            <For each={list()}>
              {(hit) => (
                <div>
                  <button
                    type="button"
                    role="option"
                    class="w-full text-left bg-transparent border-0 rounded-md px-2 py-1.5 hover:bg-raised focus:bg-raised outline-none"
                    onClick={() => open(hit)}
                    data-testid="search-hit"
                  >
                    <div class="text-sm font-medium truncate">{hit.title || t("sidebar.untitled")}</div>
                    <Show when={hit.messageId}>
                      <div class="text-xs text-muted line-clamp-2">
                        <Highlighted text={hit.snippet} />
                      </div>
                    </Show>
                  </button>
                </div>
              )}
            </For>
          </div>
        )}
      </Show>
    </div>
  );
}
