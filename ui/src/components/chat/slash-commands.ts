/** Slash commands offered while typing "/…" at the start of the composer: built-ins and skills. */
import { createResource } from "solid-js";
import { type MessageKey, t } from "../../i18n/index.ts";
import { api } from "../../lib/api.ts";

export interface SlashCommand {
  name: string;
  description: string;
  kind: "builtin" | "skill";
}

const BUILTINS: { name: string; key: MessageKey }[] = [
  { name: "compact", key: "slash.compact" },
  { name: "clear", key: "slash.clear" },
];

const [skills] = createResource(async () => {
  try {
    const result = await api<{ skills: { name: string; description: string }[] }>("/api/skills");
    return result.skills;
  } catch {
    return [];
  }
});

export function slashCommands(query: string): SlashCommand[] {
  const q = query.toLowerCase();
  const all: SlashCommand[] = [
    ...BUILTINS.map((b) => ({ name: b.name, description: t(b.key), kind: "builtin" as const })),
    ...(skills() ?? []).map((s) => ({
      name: s.name,
      description: t("slash.skill", { description: s.description }),
      kind: "skill" as const,
    })),
  ];
  return all.filter((c) => c.name.startsWith(q)).slice(0, 8);
}
