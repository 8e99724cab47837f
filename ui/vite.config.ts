/**
 * Vite config for the Solid UI. `bun run build:ui` writes ui/dist (embedded into the executable).
 * In `bun run dev`, the dev server proxies /api and /ws to the Sage server and injects the dev token.
 */
import UnoCSS from "unocss/vite";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";

const backend = process.env.SAGE_DEV_BACKEND ?? "http://127.0.0.1:5174";
const devToken = process.env.SAGE_DEV_TOKEN;

/** In dev, give the page the token the way the window's init script does. */
function devToken_(): Plugin {
  return {
    name: "sage-dev-token",
    apply: "serve",
    transformIndexHtml: (html) =>
      devToken
        ? html.replace("<head>", `<head><script>window.__SAGE__=${JSON.stringify({ token: devToken, shell: "dev" })}</script>`)
        : html,
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [UnoCSS({ configFile: `${import.meta.dirname}/uno.config.ts` }), solid(), devToken_()],
  // mermaid brings its own (older) KaTeX for math in diagrams: one copy, ours, serves both (~76 KB gzip
  // less in the executable; mermaid calls only `renderToString`).
  resolve: { dedupe: ["katex"] },
  // ES module workers can split: the highlighter worker's shiki core, engine, themes and each grammar
  // become lazy chunks (an "iife" worker would inline every grammar, ~10 MB).
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    port: Number(process.env.SAGE_DEV_UI_PORT ?? 5173),
    strictPort: true,
    proxy: {
      "/api": { target: backend, changeOrigin: true },
      "/ws": { target: backend.replace(/^http/, "ws"), ws: true, changeOrigin: true },
    },
  },
});
