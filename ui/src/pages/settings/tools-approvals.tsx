/** Settings → tools-approvals. */
export function ToolsApprovalsSettings() {
  return <div data-testid="settings-tools-approvals" />;
}
