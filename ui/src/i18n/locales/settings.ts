import { defineMessages } from "../define.ts";

/** Strings of the settings pages. */
export const settings = defineMessages({
  en: {
    "settings.title": "Settings",
  },
  zh: {
    "settings.title": "设置",
  },
});
