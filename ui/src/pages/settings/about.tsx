/** Settings → about. */
export function AboutSettings() {
  return <div data-testid="settings-about" />;
}
