/** UI entry: styles, theme before render, then the app. */
import "@unocss/reset/tailwind.css";
import "virtual:uno.css";
import "./styles/theme.css";
import "./lib/theme.ts";
import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { startBenchIfAsked } from "./lib/bench.ts";

render(() => <App />, document.getElementById("root") as HTMLElement);
startBenchIfAsked();
