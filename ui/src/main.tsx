/** UI entry: styles, theme before render, then the app. */
import "@unocss/reset/tailwind.css";
import "virtual:uno.css";
import "./styles/theme.css";
import "./lib/theme.ts";
import { Show } from "solid-js";
import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { SignedOut } from "./components/signed-out.tsx";
import { benchMark, startBenchIfAsked } from "./lib/bench.ts";
import { startFocusReports } from "./lib/focus-report.ts";
import { signedOut } from "./state/access.ts";

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
