/**
 * UnoCSS: utility classes plus the app's shortcuts. Colours come from CSS variables (styles/theme.css)
 * so light and dark themes switch without re-rendering.
 */
import { defineConfig, presetWind3 } from "unocss";

export default defineConfig({
  presets: [presetWind3({ dark: "class" })],
  theme: {
    // The defaults plus `wide` (900 px): below it the sidebar is a drawer (ui/src/state/drawer.ts).
    // Listed in full: a theme's breakpoints replace the preset's.
    breakpoints: {
      sm: "640px",
      md: "768px",
      wide: "900px",
      lg: "1024px",
      xl: "1280px",
      "2xl": "1536px",
    },
    colors: {
      bg: "rgb(var(--bg) / %alpha)",
      panel: "rgb(var(--panel) / %alpha)",
      raised: "rgb(var(--raised) / %alpha)",
      line: "rgb(var(--line) / %alpha)",
      fg: "rgb(var(--fg) / %alpha)",
      muted: "rgb(var(--muted) / %alpha)",
      accent: "rgb(var(--accent) / %alpha)",
      "accent-fg": "rgb(var(--accent-fg) / %alpha)",
      danger: "rgb(var(--danger) / %alpha)",
      "danger-fg": "rgb(var(--danger-fg) / %alpha)",
      warn: "rgb(var(--warn) / %alpha)",
      ok: "rgb(var(--ok) / %alpha)",
    },
  },
  shortcuts: {
    btn: "inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors outline-none focus-visible:ring-2 focus-visible:ring-accent disabled:opacity-50 disabled:cursor-not-allowed",
    "btn-primary": "btn bg-accent text-accent-fg hover:opacity-90",
    "btn-ghost": "btn bg-transparent text-fg hover:bg-raised",
    "btn-danger": "btn bg-danger text-danger-fg hover:opacity-90",
    "icon-btn":
      "inline-flex items-center justify-center rounded-md w-8 h-8 text-muted hover:text-fg hover:bg-raised outline-none focus-visible:ring-2 focus-visible:ring-accent",
    input:
      "w-full rounded-md border border-line bg-bg px-3 py-2 text-sm text-fg outline-none focus:border-accent focus-visible:ring-2 focus-visible:ring-accent/40",
    card: "rounded-lg border border-line bg-panel",
    "sr-only": "absolute w-px h-px p-0 -m-px overflow-hidden whitespace-nowrap border-0",
  },
});
