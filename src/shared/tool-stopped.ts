/**
 * The `error` of a tool call the user's stop cut short (the card shows it as stopped, not failed). Apart
 * from parts.ts's TypeBox schemas: the chat's tool card reads it, and the UI's entry chunk needs no TypeBox.
 */
export const TOOL_STOPPED_ERROR = "Stopped by the user.";
