import { defineMessages } from "../define.ts";

/** Strings of the settings pages. */
export const settings = defineMessages({
  en: {
    "settings.title": "Settings",
    "settings.section.general": "General",
    "settings.section.providers": "Providers",
    "settings.section.agents": "Agents",
    "settings.section.tools": "Tools & approvals",
    "settings.section.environment": "Environment",
    "settings.section.about": "About",
  },
  zh: {
    "settings.title": "设置",
    "settings.section.general": "通用",
    "settings.section.providers": "模型服务",
    "settings.section.agents": "智能体",
    "settings.section.tools": "工具与审批",
    "settings.section.environment": "环境变量",
    "settings.section.about": "关于",
  },
});
