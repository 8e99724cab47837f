/**
 * Names sessions after their first turn (the words come from src/agent/session-title.ts), unless the
 * user named them. Titling runs in the background; once `closing` is aborted nothing new starts, what is
 * in flight is cancelled, and `settled()` waits for it, so nothing writes after the database closes. A
 * title the user set meanwhile is never overwritten.
 */
import { sessionTitle } from "../agent/session-title.ts";
import type { RunnerDeps } from "./session-runner.ts";
import { pickedModel, resolveModel } from "./turn-setup.ts";

export type TitleDeps = Pick<RunnerDeps, "repo" | "agents" | "providers" | "logger"> &
  Parameters<typeof resolveModel>[0];

export class SessionTitles {
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly deps: TitleDeps,
    /** Aborted when the app quits. */
    private readonly closing: AbortSignal,
    /** Called once a title is stored (the manager tells the clients). */
    private readonly onTitled: (sessionId: string) => void,
  ) {}

  /** A turn ended: the first one that did not fail names the session. */
  turnEnded(sessionId: string, status: string, first: boolean): void {
    if (!first || status === "error" || this.closing.aborted) return;
    const task = this.generate(sessionId).finally(() => this.background.delete(task));
    this.background.add(task);
  }

  /** Resolves once no titling is in flight (call after aborting `closing`). */
  async settled(): Promise<void> {
    await Promise.all(this.background);
  }

  private async generate(sessionId: string): Promise<void> {
    const { repo, agents, providers, logger } = this.deps;
    const record = repo.findSession(sessionId);
    if (!record || record.titleSet) return;
    const title = await sessionTitle({
      messages: repo.activePath(sessionId, { limit: 20 }),
      model: async () => {
        const agent = agents.find(record.agentId) ?? agents.defaultAgent();
        // The session's pick names the title's model too: a chat kept on a local model stays local.
        return (await resolveModel(this.deps, agent, pickedModel(providers, record.model))).fast;
      },
      signal: this.closing,
      onFailure: (error) => logger.debug("title generation failed; using the first words", error),
    });
    if (this.closing.aborted || repo.findSession(sessionId)?.titleSet) return;
    repo.update(sessionId, { title, titleSet: true });
    this.onTitled(sessionId);
  }
}
