/** UI entry: styles, theme before render, then the app. */
import "@unocss/reset/tailwind.css";
import "virtual:uno.css";
import "./styles/theme.css";
import "./lib/theme.ts";
import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { benchMark, startBenchIfAsked } from "./lib/bench.ts";

benchMark("app-code-loaded");

render(() => <App />, document.getElementById("root") as HTMLElement);
startBenchIfAsked();
