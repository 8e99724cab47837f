/** Settings → environment. */
export function EnvironmentSettings() {
  return <div data-testid="settings-environment" />;
}
