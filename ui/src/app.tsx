/** The app frame: sidebar, main area, connection state, About. */
import { createSignal, onCleanup, onMount } from "solid-js";
import { AboutDialog } from "./components/about-dialog.tsx";
import { ConnectionStatus } from "./components/connection-status.tsx";
import { ThemeToggle } from "./components/theme-toggle.tsx";
import { t } from "./i18n/index.ts";
import { SocketClient } from "./lib/socket.ts";

export function App() {
  const socket = new SocketClient({ onEvents: () => {}, lastSeq: () => 0 });
  const [aboutOpen, setAboutOpen] = createSignal(false);
  onMount(() => socket.connect());
  onCleanup(() => socket.close());
  return (
    <div class="h-full flex">
      <aside
        class="w-64 shrink-0 border-r border-line bg-panel flex flex-col"
        aria-label={t("sidebar.sessions")}
      >
        <div class="flex items-center justify-between px-3 h-12 border-b border-line">
          <span class="font-semibold">{t("app.name")}</span>
          <ThemeToggle />
        </div>
        <div class="p-3">
          <button type="button" class="btn-primary w-full">
            {t("sidebar.newChat")}
          </button>
        </div>
        <nav class="flex-1 overflow-auto px-3 text-sm text-muted">{t("sidebar.empty")}</nav>
        <div class="flex items-center justify-between px-3 h-10 border-t border-line">
          <ConnectionStatus state={socket.state} />
          <button
            type="button"
            class="btn-ghost text-xs"
            onClick={() => setAboutOpen(true)}
            data-testid="about-button"
          >
            {t("sidebar.about")}
          </button>
        </div>
      </aside>
      <main class="flex-1 grid place-items-center">
        <div class="text-center">
          <h1 class="text-2xl font-semibold mb-2">{t("main.welcome")}</h1>
          <p class="text-muted">{t("main.welcomeHint")}</p>
        </div>
      </main>
      <AboutDialog open={aboutOpen()} onOpenChange={setAboutOpen} />
    </div>
  );
}
