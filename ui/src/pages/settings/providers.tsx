/** Settings → providers. */
export function ProvidersSettings() {
  return <div data-testid="settings-providers" />;
}
