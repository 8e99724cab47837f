import { defineMessages } from "../define.ts";

/** Sage's own storage: the start-up notice about an empty database, and the backups in Settings → About. */
export const storage = defineMessages({
  en: {
    "storage.emptyDatabase.title": "Sage started with an empty database",
    "storage.emptyDatabase.body":
      "The database file {path} was empty (0 bytes), so earlier conversations and settings are not in it.",
    "storage.emptyDatabase.backup":
      "A backup from {date} exists. To bring it back, quit Sage and start it once with: sage --restore-backup",
    "storage.emptyDatabase.noBackup": "There is no backup to restore.",
    "storage.backups.title": "Database backups",
    "storage.backups.description":
      "Once a day Sage copies its database to {dir}; the newest copy of each of the last {days} days is kept. If the database is ever damaged, quit Sage and start it with “sage --restore-backup” to bring the last good copy back (the damaged file is kept beside it).",
    "storage.backups.none": "No backup yet: the first is made a minute after Sage starts.",
    "storage.backups.row": "{date} · {size}",
    "storage.backups.now": "Back up now",
    "storage.backups.running": "Backing up…",
    "storage.backups.done": "Backup made.",
    "storage.backups.failed": "The last backup failed: {error}",
  },
  zh: {
    "storage.emptyDatabase.title": "Sage 以空数据库启动",
    "storage.emptyDatabase.body": "数据库文件 {path} 是空的（0 字节），之前的对话和设置都不在其中。",
    "storage.emptyDatabase.backup":
      "存在一份 {date} 的备份。要恢复它，请退出 Sage，然后用以下命令启动一次：sage --restore-backup",
    "storage.emptyDatabase.noBackup": "没有可恢复的备份。",
    "storage.backups.title": "数据库备份",
    "storage.backups.description":
      "Sage 每天把数据库复制一份到 {dir}，保留最近 {days} 天中每天最新的一份。如果数据库损坏，请退出 Sage，并用“sage --restore-backup”启动，以恢复最近一份完好的备份（损坏的文件会保留在旁边）。",
    "storage.backups.none": "还没有备份：Sage 启动一分钟后会生成第一份。",
    "storage.backups.row": "{date} · {size}",
    "storage.backups.now": "立即备份",
    "storage.backups.running": "正在备份…",
    "storage.backups.done": "备份完成。",
    "storage.backups.failed": "上一次备份失败：{error}",
  },
});
