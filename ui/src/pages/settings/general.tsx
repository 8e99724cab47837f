/** Settings → general. */
export function GeneralSettings() {
  return <div data-testid="settings-general" />;
}
