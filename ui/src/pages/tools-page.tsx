/**
 * The Tools page (/tools and /tools/:name): every tool the agents can use, searchable and filtered by
 * kind, in the list; the chosen tool with its schema and the "try it" runner in the detail (beside the
 * list, or alone with a Back control in a narrow window: components/layout/list-detail.tsx).
 */
import { createResource, Match, Show, Switch } from "solid-js";
import { DrawerButton } from "../components/layout/drawer-button.tsx";
import { ListDetail } from "../components/layout/list-detail.tsx";
import { LoadFailed } from "../components/load-failed.tsx";
import { ToolDetail } from "../components/tools/tool-detail.tsx";
import { ToolList } from "../components/tools/tool-list.tsx";
import { toolsApi } from "../components/tools/tools-api.ts";
import { t } from "../i18n/index.ts";
import { navigate } from "../lib/router.ts";

export function ToolsPage(props: { section?: string }) {
  const [tools, { refetch }] = createResource(toolsApi.list);
  const selected = () => tools()?.find((tool) => tool.name === props.section);

  return (
    <ListDetail
      testId="tools-page"
      listLabel={t("tools.title")}
      // A failed load shows in the detail, also in a narrow window (the list is empty then).
      showDetail={props.section !== undefined || tools.error !== undefined}
      onBack={props.section !== undefined ? () => navigate("/tools") : undefined}
      list={
        <>
          <div class="px-3 h-12 flex items-center gap-2 border-b border-line">
            <DrawerButton />
            <h1 class="m-0 text-base font-semibold">{t("tools.title")}</h1>
          </div>
          <Show when={tools()}>{(list) => <ToolList tools={list()} selected={props.section} />}</Show>
        </>
      }
      detail={
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
      }
    />
  );
}
