/**
 * Plan mode's policy: which shell command lines only read (a conservative parser), which tool calls
 * plan mode refuses (and says why), and the user's plan review read from a plan question's answers.
 */
import { describe, expect, test } from "bun:test";
import { PlanMode } from "../../src/agent/plan-mode.ts";
import type { AnyTool } from "../../src/agent/tool-contract.ts";
import { planModeRefusal } from "../../src/sandbox/plan-mode-policy.ts";
import { judgeCommand } from "../../src/sandbox/read-only-command.ts";
import { planReviewOf } from "../../src/shared/plan.ts";
import { BUILTIN_TOOLS } from "../../src/tools/registry.ts";

describe("read-only commands", () => {
  test.each([
    "ls -la",
    "cat a.txt | grep 'x|y; rm -rf /' | wc -l",
    "grep -rn foo src 2>/dev/null",
    "ls 2>&1 | head -5",
    "git status && git log --oneline -5",
    "git diff HEAD~1 -- src",
    "echo 'a > b'",
    "find . -name '*.ts' -type f",
    'rg -n "TODO" src || true',
  ])("reads only: %s", (line) => {
    expect(judgeCommand(line)).toEqual({ readOnly: true });
  });

  test.each([
    ["echo hi > out.txt", "redirects output"],
    ["cat a >> b", "redirects output"],
    ["rm -rf build", "rm may change things"],
    ["ls && rm x", "rm may change things"],
    ["git commit -m x", "git commit"],
    ["git", "git"],
    ["git diff --output=patch.txt", "writes a file"],
    ["find . -delete", "find would run or delete"],
    ["find . -exec rm {} ;", "find would run or delete"],
    ["sort -o out.txt in.txt", "sort -o"],
    ["rg --pre ./script x", "runs a program"],
    ["cat $(ls)", "command substitution"],
    ["cat `ls`", "command substitution"],
    ['echo "$(touch x)"', "command substitution"],
    ["cat <(ls)", "process substitution"],
    ["sleep 100 &", "background"],
    ["FOO=1 ls", "sets variables"],
    ["sed -i s/a/b/ f", "sed may change things"],
    ["python3 -c 'print(1)'", "python3 may change things"],
    ['echo "open', "quotes are not closed"],
    ["   ", "empty"],
  ])("changes or cannot be judged: %s", (line, why) => {
    const verdict = judgeCommand(line);
    expect(verdict.readOnly).toBe(false);
    expect(verdict.reason).toContain(why);
  });
});

const tool = (name: string): AnyTool => {
  const found = BUILTIN_TOOLS.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
};

describe("plan mode refuses changes", () => {
  test("reading, searching and talking to the user run", () => {
    for (const name of ["read_file", "grep", "glob", "list_dir", "todo", "ask_user", "web_fetch"])
      expect(planModeRefusal(tool(name), {})).toBeUndefined();
    expect(planModeRefusal(tool("shell"), { command: "ls -la" })).toBeUndefined();
    expect(planModeRefusal(tool("browser_snapshot"), {})).toBeUndefined();
    expect(planModeRefusal(tool("browser_tabs"), { action: "list" })).toBeUndefined();
  });

  test("writes, edits, patches, changing shell commands and browser actions are refused with the reason", () => {
    expect(planModeRefusal(tool("write_file"), { path: "a", content: "" })).toContain(
      "Plan mode: write_file was refused because it changes files",
    );
    expect(planModeRefusal(tool("edit_file"), {})).toContain("it changes files");
    expect(planModeRefusal(tool("apply_patch"), {})).toContain("it changes files");
    expect(planModeRefusal(tool("shell"), { command: "rm -rf x" })).toContain(
      "the command is not read-only (rm may change things)",
    );
    expect(planModeRefusal(tool("shell"), { command: "ls", background: true })).toContain("background");
    expect(planModeRefusal(tool("shell_job_kill"), { job_id: "job-1" })).toContain("controls processes");
    expect(planModeRefusal(tool("browser_click"), {})).toContain("browser actions are not allowed");
    expect(planModeRefusal(tool("browser_tabs"), { action: "close", tab_id: "1" })).toContain(
      "browser actions",
    );
    const mcp = { ...tool("read_file"), name: "mcp_thing", kind: "mcp" } as AnyTool;
    expect(planModeRefusal(mcp, {})).toContain("MCP tools may change things");
    expect(planModeRefusal({ ...mcp, defaultApproval: "allow" }, {})).toBeUndefined();
    expect(planModeRefusal(tool("write_file"), {})).toContain("call submit_plan");
    expect(planModeRefusal(tool("delegate"), { task: "x", agent: "a" })).toContain(
      "sub-agents could change things",
    );
  });

  test("PlanMode refuses only while planning; approve and reject end it once", () => {
    const plan = new PlanMode(planModeRefusal);
    expect(plan.refusal(tool("write_file"), {})).toContain("Plan mode");
    plan.approve();
    expect(plan.state).toBe("approved");
    expect(plan.refusal(tool("write_file"), {})).toBeUndefined();
    plan.reject();
    expect(plan.state).toBe("approved");
    const rejected = new PlanMode(planModeRefusal);
    rejected.reject();
    expect(rejected.active).toBe(false);
    expect(rejected.state).toBe("rejected");
  });
});

describe("plan review from answers", () => {
  const proposed = ["Read the code", "Change it"];
  test("approve as proposed, or with edited steps (trimmed, blanks dropped)", () => {
    expect(planReviewOf({ decision: "approve", steps: proposed }, proposed)).toEqual({
      decision: "approve",
      steps: proposed,
      edited: false,
    });
    expect(planReviewOf({ decision: "approve", steps: [" One ", "", "Two"] }, proposed)).toEqual({
      decision: "approve",
      steps: ["One", "Two"],
      edited: true,
    });
    expect(planReviewOf({ decision: "approve", steps: "A\n\nB" }, proposed)).toMatchObject({
      steps: ["A", "B"],
    });
    expect(planReviewOf({ decision: "approve", steps: ["  "] }, proposed)).toEqual({
      decision: "approve",
      steps: proposed,
      edited: false,
    });
    expect(
      planReviewOf({ decision: "approve", steps: Array(150).fill("x".repeat(900)) }, proposed),
    ).toMatchObject({ steps: Array(100).fill("x".repeat(500)) });
  });

  test("reject (with its reason), dismissal and anything else are rejections", () => {
    expect(planReviewOf({ decision: "reject", reason: " too risky " }, proposed)).toEqual({
      decision: "reject",
      reason: "too risky",
    });
    expect(planReviewOf(null, proposed)).toEqual({ decision: "reject" });
    expect(planReviewOf({ decision: "maybe" }, proposed)).toEqual({ decision: "reject" });
    expect(planReviewOf({ decision: ["approve"] }, proposed)).toEqual({ decision: "reject" });
  });
});
