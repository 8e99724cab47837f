/** Inline SVG icons (no icon font, no emoji: they render the same on every machine). */
import type { JSX } from "solid-js";

function Svg(props: { children: JSX.Element; size?: number; class?: string }) {
  return (
    <svg
      width={props.size ?? 16}
      height={props.size ?? 16}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      class={props.class}
    >
      {props.children}
    </svg>
  );
}

export const PaperclipIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <path d="M21.4 11.1 12.2 20.3a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
  </Svg>
);
export const StopIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <rect x="6" y="6" width="12" height="12" rx="1.5" fill="currentColor" />
  </Svg>
);
export const SendIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <path d="M5 12h14M13 6l6 6-6 6" />
  </Svg>
);
export const TerminalIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <path d="M4 17l6-5-6-5M12 19h8" />
  </Svg>
);
export const DownloadIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <path d="M12 4v12M6 10l6 6 6-6M5 20h14" />
  </Svg>
);
export const FolderIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
  </Svg>
);
export const FileIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
    <path d="M14 3v5h5" />
  </Svg>
);
export const MenuIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <path d="M4 6h16M4 12h16M4 18h16" />
  </Svg>
);
export const PanelIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <rect x="3" y="4" width="18" height="16" rx="2" />
    <path d="M15 4v16" />
  </Svg>
);
export const SunIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
  </Svg>
);
export const MoonIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
  </Svg>
);
export const MonitorIcon = (p: { size?: number }) => (
  <Svg size={p.size}>
    <rect x="3" y="4" width="18" height="12" rx="2" />
    <path d="M8 20h8M12 16v4" />
  </Svg>
);
export const LockIcon = (p: { size?: number; class?: string }) => (
  <Svg size={p.size} class={p.class}>
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 0 1 8 0v4" />
  </Svg>
);
