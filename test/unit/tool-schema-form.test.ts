/**
 * The Tools page's form model (ui/src/components/tools/schema-fields.ts) over the real tools' schemas:
 * which inputs each gets, how typed values become arguments the schema accepts, and the way back from
 * JSON to the form.
 */
import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { toolCatalogue } from "../../src/tools/catalogue.ts";
import { BUILTIN_TOOLS } from "../../src/tools/registry.ts";
import {
  argumentsToValues,
  emptyValues,
  planForm,
  valuesToArguments,
} from "../../ui/src/components/tools/schema-fields.ts";

const catalogue = toolCatalogue(BUILTIN_TOOLS);
const info = (name: string) => {
  const tool = catalogue.find((entry) => entry.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
};
const schemaOf = (name: string) => {
  const tool = BUILTIN_TOOLS.find((entry) => entry.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.parameters;
};

describe("planForm", () => {
  test("string, number, boolean, enum and string-list fields from real schemas", () => {
    const write = planForm(info("write_file").parameters);
    expect(write.unsupported).toEqual([]);
    expect(write.fields).toEqual([
      expect.objectContaining({ name: "path", kind: "string", multiline: false, required: true }),
      expect.objectContaining({ name: "content", kind: "string", multiline: true, required: true }),
    ]);
    const fetch = planForm(info("web_fetch").parameters).fields;
    expect(fetch[1]).toMatchObject({ name: "max_chars", kind: "number", integer: true, minimum: 100 });
    const navigate = planForm(info("browser_navigate").parameters).fields;
    expect(navigate.find((field) => field.name === "history")).toMatchObject({
      kind: "enum",
      options: ["back", "forward", "reload"],
      required: false,
    });
    const screenshot = planForm(info("browser_screenshot").parameters).fields;
    expect(screenshot.find((field) => field.name === "full_page")?.kind).toBe("boolean");
  });

  test("nested objects (ask_user's questions, todo's items) fall back to the JSON editor", () => {
    expect(planForm(info("ask_user").parameters).unsupported).toEqual(["questions"]);
    expect(planForm(info("todo").parameters).unsupported).toEqual(["todos"]);
    expect(planForm({ type: "string" }).unsupported).toEqual(["(arguments)"]);
  });

  test("arrays of strings are one per line", () => {
    const plan = planForm({
      type: "object",
      properties: { names: { type: "array", items: { type: "string" } } },
      required: ["names"],
    });
    expect(plan.fields[0]?.kind).toBe("string-list");
    expect(valuesToArguments(plan, { names: " a \n\n b\n" }).arguments).toEqual({ names: ["a", "b"] });
    expect(argumentsToValues(plan, { names: ["x", "y"] })).toEqual({ names: "x\ny" });
  });
});

describe("valuesToArguments", () => {
  test("filled inputs give arguments every real schema accepts; empty optional ones are left out", () => {
    const fetch = planForm(info("web_fetch").parameters);
    const filled = valuesToArguments(fetch, { url: "https://example.com", max_chars: "500" });
    expect(filled).toEqual({ arguments: { url: "https://example.com", max_chars: 500 }, problems: [] });
    expect(Value.Check(schemaOf("web_fetch"), filled.arguments)).toBe(true);

    const empty = valuesToArguments(fetch, emptyValues(fetch));
    expect(empty.arguments).toEqual({ url: "" });

    const screenshot = planForm(info("browser_screenshot").parameters);
    const checked = valuesToArguments(screenshot, { ...emptyValues(screenshot), full_page: true });
    expect(checked.arguments).toEqual({ full_page: true });
    expect(Value.Check(schemaOf("browser_screenshot"), checked.arguments)).toBe(true);
    expect(valuesToArguments(screenshot, emptyValues(screenshot)).arguments).toEqual({});
  });

  test("text that is not a number is a problem, not an argument", () => {
    const fetch = planForm(info("web_fetch").parameters);
    const result = valuesToArguments(fetch, { url: "https://example.com", max_chars: "lots" });
    expect(result.problems).toEqual([{ field: "max_chars", message: "whole number" }]);
    expect(result.arguments).toEqual({ url: "https://example.com" });
    expect(valuesToArguments(fetch, { url: "x", max_chars: "1.5" }).problems).toHaveLength(1);
  });
});

describe("argumentsToValues", () => {
  test("round-trips what the form can show and refuses what it cannot", () => {
    const plan = planForm(info("edit_file").parameters);
    const args = { path: "a.txt", old_string: "one", new_string: "two", replace_all: true };
    const values = argumentsToValues(plan, args);
    expect(values).toBeDefined();
    expect(valuesToArguments(plan, values ?? {}).arguments).toEqual(args);
    expect(argumentsToValues(plan, { path: 3 })).toBeUndefined();
    expect(argumentsToValues(plan, { unknown: "x" })).toBeUndefined();
    expect(argumentsToValues(plan, ["not", "an", "object"])).toBeUndefined();
  });
});
