/**
 * Start the backend's HTTP server: build the hub and the Elysia app, listen, and return the URL the UI
 * opens. Used by serve mode (in the main thread) and window mode (inside the server worker).
 */
import type { AppContext } from "../app/context.ts";
import type { DesktopServices } from "../app/desktop-services.ts";
import type { ShellControl } from "../desktop/shell-control.ts";
import type { SessionCommands } from "../shared/client-messages.ts";
import { createServer } from "./app.ts";
import { featureRoutes } from "./routes/index.ts";
import { newToken, type SecurityConfig } from "./security.ts";
import type { UiAssets } from "./ui-assets.ts";
import { WebSocketHub } from "./ws-hub.ts";

export interface StartOptions {
  host: string;
  /** 0 or undefined: a random free port. */
  port: number | undefined;
  token?: string;
  extraOrigins?: string[];
  ui: UiAssets;
  commands: SessionCommands;
  shell: ShellControl;
  /** Desktop notifications and focus reports; absent in tests that start the server alone. */
  desktop?: DesktopServices;
}

export interface RunningServer {
  port: number;
  host: string;
  token: string;
  /** Base URL without the token. */
  url: string;
  /** The URL to open once: it carries the token, which the page keeps in origin-scoped storage. */
  launchUrl: string;
  hub: WebSocketHub;
  stop(): Promise<void>;
}

export async function startServer(app: AppContext, options: StartOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  app.logger.addSecret(token);
  const security: SecurityConfig = {
    token,
    bindHost: options.host,
    port: 0,
    extraOrigins: options.extraOrigins ?? [],
  };
  const hub = new WebSocketHub(app.events, options.commands, app.logger.child("ws"));
  const plugins = featureRoutes(app, options.shell, options.desktop);
  const server = createServer({ app, security, ui: options.ui, hub, plugins });
  server.listen({ hostname: options.host, port: options.port ?? 0 });
  const port = server.server?.port;
  if (!port) throw new Error(`Could not listen on ${options.host}:${options.port ?? 0}`);
  security.port = port;
  const displayHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : displayHost;
  const url = `http://${shownHost}:${port}`;
  return {
    port,
    host: options.host,
    token,
    url,
    launchUrl: `${url}/?token=${token}`,
    hub,
    async stop() {
      hub.dispose();
      await server.stop(true);
    },
  };
}
