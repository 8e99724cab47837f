import { defineMessages } from "../define.ts";

/** Strings of the setup pages. */
export const setup = defineMessages({
  en: {
    "setup.title": "Setup",
  },
  zh: {
    "setup.title": "初始设置",
  },
});
