/**
 * Snapshots of what the model sees for each file tool (name, kind, description, JSON schema), so a
 * change to a tool's contract shows up in review. Update deliberately with `bun test --update-snapshots`.
 */
import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import type { AnyTool } from "../../src/agent/tool-contract.ts";
import { applyPatchTool } from "../../src/tools/apply-patch.ts";
import { editFileTool } from "../../src/tools/edit-file.ts";
import { globTool } from "../../src/tools/glob.ts";
import { grepTool } from "../../src/tools/grep.ts";
import { listDirTool } from "../../src/tools/list-dir.ts";
import { readFileTool } from "../../src/tools/read-file.ts";
import { writeFileTool } from "../../src/tools/write-file.ts";

const fileTools: AnyTool[] = [
  readFileTool,
  writeFileTool,
  editFileTool,
  applyPatchTool,
  listDirTool,
  globTool,
  grepTool,
];

describe("file tool schemas", () => {
  for (const tool of fileTools) {
    test(`${tool.name} schema and description`, () => {
      const serialised = JSON.parse(
        JSON.stringify({
          name: tool.name,
          kind: tool.kind,
          description: tool.description,
          parameters: tool.parameters,
        }),
      );
      expect(serialised).toMatchSnapshot();
    });
  }

  test("names are unique snake_case; write tools describe and declare what they touch", () => {
    const names = fileTools.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const tool of fileTools) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(tool.description.length).toBeGreaterThan(40);
      if (tool.kind === "write") {
        expect(typeof tool.describe).toBe("function");
        expect(typeof tool.touches).toBe("function");
      } else {
        expect(tool.kind).toBe("read");
      }
    }
    expect(fileTools.filter((tool) => tool.kind === "write").map((tool) => tool.name)).toEqual([
      "write_file",
      "edit_file",
      "apply_patch",
    ]);
  });

  test("schemas accept good arguments and reject bad ones", () => {
    expect(Value.Check(readFileTool.parameters, { path: "a.txt", offset: 3, limit: 10 })).toBe(true);
    expect(Value.Check(readFileTool.parameters, { path: "a.txt", offset: 0 })).toBe(false);
    expect(Value.Check(readFileTool.parameters, { offset: 1 })).toBe(false);
    expect(Value.Check(listDirTool.parameters, { depth: 5 })).toBe(true);
    expect(Value.Check(listDirTool.parameters, { depth: 6 })).toBe(false);
    expect(Value.Check(grepTool.parameters, { pattern: "x", context: 2, max_results: 10 })).toBe(true);
    expect(Value.Check(grepTool.parameters, { pattern: "x", max_results: 0 })).toBe(false);
    expect(Value.Check(editFileTool.parameters, { path: "a", old_string: "x", new_string: "y" })).toBe(true);
    expect(Value.Check(editFileTool.parameters, { path: "a", old_string: "x" })).toBe(false);
    expect(Value.Check(applyPatchTool.parameters, { patch: 42 })).toBe(false);
  });
});
