/** 简体中文。键与 en.ts 一一对应。 */
import type { Messages } from "./en.ts";

export const zh: Messages = {
  "app.name": "Sage",
  "connection.connecting": "正在连接…",
  "connection.connected": "已连接",
  "connection.reconnecting": "正在重新连接…",
  "connection.offline": "离线 — 正在重试",
  "theme.light": "浅色",
  "theme.dark": "深色",
  "theme.system": "跟随系统",
  "theme.toggle": "切换主题（当前：{theme}）",
  "about.title": "关于 Sage",
  "about.version": "版本 {version}",
  "about.tagline": "本地优先的 AI 智能体工作台。会话、设置、技能和密钥都保存在这台电脑上。",
  "about.dataDir": "数据文件夹",
  "about.logFile": "日志文件",
  "about.close": "关闭",
  "sidebar.newChat": "新对话",
  "sidebar.sessions": "会话",
  "sidebar.empty": "还没有会话。点击“新对话”开始。",
  "sidebar.about": "关于",
  "main.welcome": "今天想做什么？",
  "main.welcomeHint": "Sage 已就绪。选择或新建一个会话，与智能体对话。",
};
