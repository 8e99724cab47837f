/** Settings: a section list on the left, the chosen section on the right (/settings/:section). */
import { For, Match, Switch } from "solid-js";
import { DrawerButton } from "../components/layout/drawer-button.tsx";
import { type MessageKey, t } from "../i18n/index.ts";
import { linkHandler } from "../lib/router.ts";
import { AboutSettings } from "./settings/about.tsx";
import { AgentsSettings } from "./settings/agents.tsx";
import { EnvironmentSettings } from "./settings/environment.tsx";
import { GeneralSettings } from "./settings/general.tsx";
import { McpSettings } from "./settings/mcp.tsx";
import { ProvidersSettings } from "./settings/providers.tsx";
import { StorageSettings } from "./settings/storage.tsx";
import { ToolsApprovalsSettings } from "./settings/tools-approvals.tsx";

const SECTIONS: { id: string; label: MessageKey }[] = [
  { id: "general", label: "settings.section.general" },
  { id: "providers", label: "settings.section.providers" },
  { id: "agents", label: "settings.section.agents" },
  { id: "tools", label: "settings.section.tools" },
  { id: "mcp", label: "mcp.title" },
  { id: "environment", label: "settings.section.environment" },
  { id: "storage", label: "settings.section.storage" },
  { id: "about", label: "settings.section.about" },
];

export function SettingsPage(props: { section?: string }) {
  const current = () => props.section ?? "general";
  // Below 768 px the section list is a wrapped row above the section (a 208 px column left too
  // little room for the forms).
  return (
    <div class="flex-1 flex min-h-0 lt-md:flex-col">
      <nav
        class="w-52 shrink-0 border-r border-line p-3 flex flex-col gap-1 lt-md:w-auto lt-md:border-r-0 lt-md:border-b lt-md:flex-row lt-md:flex-wrap lt-md:p-2"
        aria-label={t("settings.title")}
        data-testid="settings-nav"
      >
        <div class="flex items-center gap-1 mb-2 lt-md:w-full lt-md:mb-0">
          <DrawerButton />
          <h1 class="text-base font-semibold px-2 m-0">{t("settings.title")}</h1>
        </div>
        <For each={SECTIONS}>
          {(section) => (
            <a
              href={`/settings/${section.id}`}
              onClick={linkHandler(`/settings/${section.id}`)}
              class={`px-2 py-1.5 rounded-md text-sm no-underline ${current() === section.id ? "bg-raised text-fg" : "text-muted hover:text-fg hover:bg-raised"}`}
              aria-current={current() === section.id ? "page" : undefined}
              data-testid={`settings-nav-${section.id}`}
            >
              {t(section.label)}
            </a>
          )}
        </For>
      </nav>
      <section class="flex-1 min-w-0 min-h-0 overflow-y-auto p-6 lt-md:p-4">
        <Switch fallback={<p class="text-muted">{t("common.notFound")}</p>}>
          <Match when={current() === "general"}>
            <GeneralSettings />
          </Match>
          <Match when={current() === "providers"}>
            <ProvidersSettings />
          </Match>
          <Match when={current() === "agents"}>
            <AgentsSettings />
          </Match>
          <Match when={current() === "tools"}>
            <ToolsApprovalsSettings />
          </Match>
          <Match when={current() === "mcp"}>
            <McpSettings />
          </Match>
          <Match when={current() === "environment"}>
            <EnvironmentSettings />
          </Match>
          <Match when={current() === "storage"}>
            <StorageSettings />
          </Match>
          <Match when={current() === "about"}>
            <AboutSettings />
          </Match>
        </Switch>
      </section>
    </div>
  );
}
