/** Settings → agents. */
export function AgentsSettings() {
  return <div data-testid="settings-agents" />;
}
