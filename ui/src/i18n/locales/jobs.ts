import { defineMessages } from "../define.ts";

/** Strings of background shell jobs: the jobs view and the background shell card. */
export const jobs = defineMessages({
  en: {
    "jobs.title": "Background jobs",
    "jobs.open": "Background jobs",
    "jobs.intro":
      "Commands the agent started in the background in this chat. They keep running after the turn ends, until they exit, are killed, or Sage quits.",
    "jobs.empty": "No background jobs in this chat (since Sage started).",
    "jobs.state.running": "Running",
    "jobs.state.exited": "Exited",
    "jobs.state.killed": "Killed",
    "jobs.state.timed_out": "Timed out",
    "jobs.exitCode": "exit {code}",
    "jobs.kill": "Kill",
    "jobs.killing": "Killing…",
    "jobs.killLabel": "Kill {id} and everything it started",
    "jobs.showOutput": "Output",
    "jobs.noOutput": "(no output yet)",
    "jobs.omitted": "{count} earlier characters not shown",
    "jobs.updating": "Updates every second while open.",
    "jobs.card.status": "In the background · {id}",
    "jobs.card.explain":
      "This command runs in the background as {id}; the turn did not wait for it. Its output, state and a Kill button are in the jobs view.",
    "jobs.card.open": "Open jobs view",
  },
  zh: {
    "jobs.title": "后台任务",
    "jobs.open": "后台任务",
    "jobs.intro":
      "智能体在本对话中于后台启动的命令。本轮结束后它们会继续运行，直到退出、被终止或 Sage 退出。",
    "jobs.empty": "本对话中没有后台任务（自 Sage 启动以来）。",
    "jobs.state.running": "运行中",
    "jobs.state.exited": "已退出",
    "jobs.state.killed": "已终止",
    "jobs.state.timed_out": "已超时",
    "jobs.exitCode": "退出码 {code}",
    "jobs.kill": "终止",
    "jobs.killing": "正在终止…",
    "jobs.killLabel": "终止 {id} 及其启动的所有进程",
    "jobs.showOutput": "输出",
    "jobs.noOutput": "（暂无输出）",
    "jobs.omitted": "前面 {count} 个字符未显示",
    "jobs.updating": "打开时每秒更新。",
    "jobs.card.status": "后台运行 · {id}",
    "jobs.card.explain":
      "该命令作为 {id} 在后台运行，本轮没有等待它结束。它的输出、状态和终止按钮都在后台任务视图中。",
    "jobs.card.open": "打开后台任务",
  },
});
