/**
 * The Tools page (/tools and /tools/:name): every tool the agents can use, searchable and filtered by
 * kind, on the left; the chosen tool with its schema and the "try it" runner on the right.
 */
import { createResource, Match, Show, Switch } from "solid-js";
import { DrawerButton } from "../components/layout/drawer-button.tsx";
import { LoadFailed } from "../components/load-failed.tsx";
import { ToolDetail } from "../components/tools/tool-detail.tsx";
import { ToolList } from "../components/tools/tool-list.tsx";
import { toolsApi } from "../components/tools/tools-api.ts";
import { t } from "../i18n/index.ts";

export function ToolsPage(props: { section?: string }) {
  const [tools, { refetch }] = createResource(toolsApi.list);
  const selected = () => tools()?.find((tool) => tool.name === props.section);

  return (
    <div class="flex-1 flex min-h-0" data-testid="tools-page">
      <aside class="w-80 shrink-0 border-r border-line flex flex-col min-h-0" aria-label={t("tools.title")}>
        <div class="px-3 h-12 flex items-center gap-2 border-b border-line">
          <DrawerButton />
          <h1 class="m-0 text-base font-semibold">{t("tools.title")}</h1>
        </div>
        <Show when={tools()}>{(list) => <ToolList tools={list()} selected={props.section} />}</Show>
      </aside>
      <section class="flex-1 min-w-0 overflow-y-auto p-6">
        <Switch>
          <Match when={tools.error}>
            <LoadFailed
              message={t("tools.loadFailed", { message: (tools.error as Error).message })}
              onRetry={() => void refetch()}
            />
          </Match>
          <Match when={tools.loading}>
            <p class="text-muted">{t("common.loading")}</p>
          </Match>
          <Match when={props.section && !selected()}>
            <p class="text-muted" data-testid="tool-missing">
              {t("tools.detail.missing", { name: props.section ?? "" })}
            </p>
          </Match>
          <Match when={selected()} keyed>
            {(tool) => <ToolDetail tool={tool} />}
          </Match>
          <Match when={!props.section}>
            <div class="max-w-xl flex flex-col gap-2 text-sm" data-testid="tools-intro">
              <p class="m-0">{t("tools.intro.what", { count: tools()?.length ?? 0 })}</p>
              <p class="m-0 text-muted">{t("tools.intro.try")}</p>
            </div>
          </Match>
        </Switch>
      </section>
    </div>
  );
}
