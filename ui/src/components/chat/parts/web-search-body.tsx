/**
 * The web_search card's body: each result's title as a link that opens outside the app (the system
 * browser in the window, a new tab in a browser), its address and snippet.
 */
import { For, Show } from "solid-js";
import type { ToolPart } from "../../../../../src/shared/parts.ts";
import { t } from "../../../i18n/index.ts";
import { openExternal } from "../../../lib/open-external.ts";

interface Result {
  title: string;
  url: string;
  snippet: string;
}

function resultsOf(part: ToolPart): Result[] {
  const list = part.output?.details?.results;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (item): item is Result =>
      typeof item === "object" &&
      item !== null &&
      typeof (item as Result).url === "string" &&
      /^https?:\/\//i.test((item as Result).url),
  );
}

export function WebSearchBody(props: { part: ToolPart }) {
  const results = () => resultsOf(props.part);
  return (
    <div class="text-xs flex flex-col gap-2" data-testid="web-search-results">
      <Show when={results().length > 0} fallback={<p class="m-0 text-muted">{t("tool.webSearch.none")}</p>}>
        <ol class="m-0 pl-5 flex flex-col gap-1.5">
          <For each={results()}>
            {(result) => (
              <li>
                <a
                  href={result.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  class="font-medium text-accent hover:underline"
                  onClick={(event) => {
                    event.preventDefault();
                    openExternal(result.url);
                  }}
                  data-testid="web-search-result"
                >
                  {result.title || result.url}
                </a>
                <span class="block text-muted font-mono break-all">{result.url}</span>
                <Show when={result.snippet}>
                  <span class="block text-fg">{result.snippet}</span>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  );
}
