/**
 * The messages a refused settings file gets (src/portable/portable.ts parseSettingsFile): the field at
 * fault is named once (a field without a friendly label was named twice: "settings.theme is not valid
 * (settings.theme)"), and a field with a label keeps its path in brackets.
 */
import { describe, expect, test } from "bun:test";
import { parseSettingsFile } from "../../src/portable/portable.ts";

function refusal(file: unknown): string {
  try {
    parseSettingsFile(JSON.stringify(file));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the file was accepted");
}

const base = { format: "sage.settings.v1", settings: {}, environment: [], providers: [], agents: [] };

describe("a refused settings file", () => {
  test("names an unlabelled field once", () => {
    const message = refusal({ ...base, settings: { theme: "purple" } });
    expect(message).toStartWith("The settings file is invalid:");
    expect(message.split("settings.theme").length - 1).toBe(1);
    // Only what is wrong: the UI adds "Nothing was changed." once around it.
    expect(message).toBe("The settings file is invalid: settings.theme is not valid.");
    expect(message).not.toMatch(/nothing (was )?changed/i);
  });

  test("a wrong type deep inside is refused with its path", () => {
    const message = refusal({ ...base, providers: [{ name: 5 }] });
    expect(message).toContain("providers.0");
    expect(message).not.toMatch(/\(\)/);
  });

  test("not JSON at all is refused, not thrown as a parse error", () => {
    expect(() => parseSettingsFile("not json {")).toThrow(/settings file/i);
  });
});
