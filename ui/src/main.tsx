/** UI entry: styles, theme before render, then the app. */
import "@unocss/reset/tailwind.css";
import "virtual:uno.css";
import "./styles/theme.css";
import "./lib/theme.ts";
import { Show } from "solid-js";
import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { startBenchIfAsked } from "./bench/long-chat.ts";
import { SignedOut } from "./components/signed-out.tsx";
import { signedOut } from "./lib/access.ts";
import { benchMark } from "./lib/bench-mark.ts";
import { startFocusReports } from "./lib/focus-report.ts";

benchMark("app-code-loaded");

render(
  () => (
    <Show when={!signedOut()} fallback={<SignedOut />}>
      <App />
    </Show>
  ),
  document.getElementById("root") as HTMLElement,
);
startBenchIfAsked();
startFocusReports();
