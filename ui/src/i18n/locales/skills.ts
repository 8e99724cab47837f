import { defineMessages } from "../define.ts";

/** Strings of the skills pages. */
export const skills = defineMessages({
  en: {
    "skills.title": "Skills",
  },
  zh: {
    "skills.title": "技能",
  },
});
