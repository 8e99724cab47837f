import { defineMessages } from "../define.ts";

/** Strings of the tools pages. */
export const tools = defineMessages({
  en: {
    "tools.title": "Tools",
  },
  zh: {
    "tools.title": "工具",
  },
});
