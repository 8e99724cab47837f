/**
 * Parse and validate the text of a `SKILL.md`. Pure: no file access.
 *
 * Rules (each gives one diagnostic naming the field and what is expected):
 * - the file starts with a `---` line (a BOM and blank lines before it are tolerated) and the frontmatter
 *   is closed by another `---` line; the frontmatter is valid YAML and a mapping (duplicate keys are errors);
 * - `name`: required string, at most 64 characters, lowercase letters / digits / single inner hyphens,
 *   equal to the folder name (when one is expected);
 * - `description`: required non-empty string; longer than 1024 characters is a warning (the skill is kept,
 *   and the system prompt lists a shortened description: see `promptDescription` in load-skill-tool.ts);
 * - `license`: optional string; `allowed-tools`: optional list of strings or a string of names separated
 *   by spaces or commas; `metadata`: optional flat mapping of strings (numbers and booleans accepted);
 * - any other top-level field is a warning; an empty body is a warning.
 * The result carries a skill only when there is no error.
 */
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import {
  KNOWN_FRONTMATTER_FIELDS,
  SKILL_DESCRIPTION_MAX_LENGTH,
  SKILL_FILE_NAME,
  SKILL_NAME_MAX_LENGTH,
  SKILL_NAME_PATTERN,
  type SkillDiagnostic,
  type SkillDiagnosticSeverity,
  type SkillFrontmatter,
} from "./types.ts";

export interface ParseSkillOptions {
  /** The folder name the skill must be named after; omit to skip that check (import picks the folder). */
  folderName?: string;
  /** Path reported in diagnostics; defaults to `<folderName>/SKILL.md`. */
  path?: string;
}

export type ParsedSkill =
  | { ok: true; frontmatter: SkillFrontmatter; body: string; diagnostics: SkillDiagnostic[] }
  | { ok: false; diagnostics: SkillDiagnostic[] };

/** Why a name is not a valid skill name, or undefined when it is. */
export function skillNameProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > SKILL_NAME_MAX_LENGTH) {
    return `is ${name.length} characters long; the limit is ${SKILL_NAME_MAX_LENGTH}`;
  }
  if (SKILL_NAME_PATTERN.test(name)) return undefined;
  if (/[A-Z]/.test(name)) return "contains uppercase letters; use lowercase letters, digits and hyphens";
  if (/[^a-z0-9-]/.test(name)) return "may contain only lowercase letters, digits and hyphens";
  if (name.startsWith("-") || name.endsWith("-")) return "must not start or end with a hyphen";
  return "must not contain consecutive hyphens";
}

export function isValidSkillName(name: string): boolean {
  return skillNameProblem(name) === undefined;
}

interface Collector {
  add(severity: SkillDiagnosticSeverity, message: string, extra?: { field?: string; line?: number }): void;
  /** Label every diagnostic, past and future, with this skill name. */
  label(skill: string): void;
  list: SkillDiagnostic[];
}

function collector(path: string, initialSkill: string): Collector {
  const list: SkillDiagnostic[] = [];
  let skill = initialSkill;
  return {
    list,
    add(severity, message, extra = {}) {
      list.push({ severity, path, skill, message, ...extra });
    },
    label(name) {
      skill = name;
      for (const diagnostic of list) diagnostic.skill = name;
    },
  };
}

/** Split the text into frontmatter source and body. Lines are counted from 1. */
function splitFrontmatter(
  text: string,
): { yaml: string; yamlFirstLine: number; body: string } | { problem: string; line?: number } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let start = 0;
  while (start < lines.length && lines[start].trim() === "") start++;
  if (start >= lines.length) return { problem: "the file is empty; it must start with YAML frontmatter" };
  if (lines[start].trimEnd() !== "---") {
    return {
      problem: "missing frontmatter: the file must start with a '---' line, then name and description",
      line: start + 1,
    };
  }
  for (let end = start + 1; end < lines.length; end++) {
    if (lines[end].trimEnd() === "---") {
      return {
        yaml: lines.slice(start + 1, end).join("\n"),
        yamlFirstLine: start + 2,
        body: lines.slice(end + 1).join("\n"),
      };
    }
  }
  return { problem: "the frontmatter is not closed: add a '---' line after it", line: start + 1 };
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

function checkName(
  value: unknown,
  options: ParseSkillOptions,
  out: Collector,
  line?: number,
): string | undefined {
  if (value === undefined) {
    out.add("error", "missing required field 'name'", { field: "name" });
    return undefined;
  }
  if (typeof value !== "string") {
    out.add("error", `'name' must be a string, not ${typeName(value)}`, { field: "name", line });
    return undefined;
  }
  const problem = skillNameProblem(value);
  if (problem) {
    out.add("error", `'name' ${problem} (got '${value}')`, { field: "name", line });
    return undefined;
  }
  if (options.folderName !== undefined && value !== options.folderName) {
    out.add("error", `'name' is '${value}' but the folder is '${options.folderName}'; they must match`, {
      field: "name",
      line,
    });
    return undefined;
  }
  return value;
}

function checkDescription(value: unknown, out: Collector, line?: number): string | undefined {
  if (value === undefined) {
    out.add("error", "missing required field 'description' (what the skill does and when to use it)", {
      field: "description",
    });
    return undefined;
  }
  if (typeof value !== "string") {
    out.add("error", `'description' must be a string, not ${typeName(value)}`, {
      field: "description",
      line,
    });
    return undefined;
  }
  const description = value.trim();
  if (description === "") {
    out.add("error", "'description' is empty; say what the skill does and when to use it", {
      field: "description",
      line,
    });
    return undefined;
  }
  if (description.length > SKILL_DESCRIPTION_MAX_LENGTH) {
    out.add(
      "warning",
      `'description' is ${description.length} characters long; the limit is ${SKILL_DESCRIPTION_MAX_LENGTH}, ` +
        "so the system prompt lists it shortened. Edit it to fit if the end matters.",
      { field: "description", line },
    );
  }
  return description;
}

function checkAllowedTools(value: unknown, out: Collector, line?: number): string[] | undefined {
  const field = "allowed-tools";
  if (typeof value === "string") return value.split(/[\s,]+/).filter((tool) => tool !== "");
  if (Array.isArray(value) && value.every((tool) => typeof tool === "string")) {
    return value.map((tool) => tool.trim()).filter((tool) => tool !== "");
  }
  out.add("error", `'allowed-tools' must be a list of tool names or a string, not ${typeName(value)}`, {
    field,
    line,
  });
  return undefined;
}

function checkMetadata(value: unknown, out: Collector, line?: number): Record<string, string> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    out.add("error", `'metadata' must be a mapping of keys to strings, not ${typeName(value)}`, {
      field: "metadata",
      line,
    });
    return undefined;
  }
  const metadata: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === "string" || typeof entry === "number" || typeof entry === "boolean") {
      metadata[key] = String(entry);
    } else {
      out.add("error", `'metadata.${key}' must be a string, not ${typeName(entry)}`, {
        field: "metadata",
        line,
      });
      return undefined;
    }
  }
  return metadata;
}

/** Parse the text of a SKILL.md; see the module comment for the rules. */
export function parseSkillMarkdown(text: string, options: ParseSkillOptions = {}): ParsedSkill {
  const skillLabel = options.folderName ?? "";
  const path =
    options.path ?? (options.folderName ? `${options.folderName}/${SKILL_FILE_NAME}` : SKILL_FILE_NAME);
  const out = collector(path, skillLabel);

  const split = splitFrontmatter(text);
  if ("problem" in split) {
    out.add("error", split.problem, { line: split.line });
    return { ok: false, diagnostics: out.list };
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(split.yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const position = lineCounter.linePos(error.pos[0]);
      const firstLine = error.message.split("\n")[0];
      out.add("error", `invalid YAML in the frontmatter: ${firstLine}`, {
        line: split.yamlFirstLine + position.line - 1,
      });
    }
    return { ok: false, diagnostics: out.list };
  }
  if (document.contents !== null && !isMap(document.contents)) {
    out.add("error", "the frontmatter must be a YAML mapping of fields (name: ..., description: ...)", {
      line: split.yamlFirstLine,
    });
    return { ok: false, diagnostics: out.list };
  }

  let fields: Record<string, unknown>;
  try {
    fields = document.contents === null ? {} : document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    out.add("error", `invalid YAML in the frontmatter: ${(error as Error).message}`);
    return { ok: false, diagnostics: out.list };
  }
  const lineOf = (field: string): number | undefined => {
    if (!isMap(document.contents)) return undefined;
    for (const pair of document.contents.items) {
      if (isScalar(pair.key) && pair.key.value === field && pair.key.range) {
        return split.yamlFirstLine + lineCounter.linePos(pair.key.range[0]).line - 1;
      }
    }
    return undefined;
  };

  if (options.folderName === undefined && typeof fields.name === "string") out.label(fields.name);
  const name = checkName(fields.name, options, out, lineOf("name"));
  const description = checkDescription(fields.description, out, lineOf("description"));

  const frontmatter: Partial<SkillFrontmatter> = { name, description };
  if (fields.license !== undefined && fields.license !== null) {
    if (typeof fields.license === "string") frontmatter.license = fields.license;
    else {
      out.add("error", `'license' must be a string, not ${typeName(fields.license)}`, {
        field: "license",
        line: lineOf("license"),
      });
    }
  }
  if (fields["allowed-tools"] !== undefined && fields["allowed-tools"] !== null) {
    frontmatter.allowedTools = checkAllowedTools(fields["allowed-tools"], out, lineOf("allowed-tools"));
  }
  if (fields.metadata !== undefined && fields.metadata !== null) {
    frontmatter.metadata = checkMetadata(fields.metadata, out, lineOf("metadata"));
  }

  const known: readonly string[] = KNOWN_FRONTMATTER_FIELDS;
  for (const field of Object.keys(fields)) {
    if (!known.includes(field)) {
      out.add("warning", `unknown field '${field}' is ignored (known fields: ${known.join(", ")})`, {
        field,
        line: lineOf(field),
      });
    }
  }

  const body = split.body.trim();
  if (body === "") {
    out.add(
      "warning",
      "the body is empty: add the instructions the agent should follow after the frontmatter",
    );
  }

  if (out.list.some((diagnostic) => diagnostic.severity === "error") || !name || !description) {
    return { ok: false, diagnostics: out.list };
  }
  const result: SkillFrontmatter = { name, description };
  if (frontmatter.license !== undefined) result.license = frontmatter.license;
  if (frontmatter.allowedTools !== undefined) result.allowedTools = frontmatter.allowedTools;
  if (frontmatter.metadata !== undefined) result.metadata = frontmatter.metadata;
  return { ok: true, frontmatter: result, body, diagnostics: out.list };
}
