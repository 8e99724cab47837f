/**
 * src/core/text-order.ts: identifiers sort by code unit (the same everywhere, no ICU); names a person
 * reads sort naturally (case-insensitive, numbers by value).
 */
import { expect, test } from "bun:test";
import { compareCodePoints, compareNatural } from "../../src/core/text-order.ts";

test("identifiers: by code unit, equal strings compare 0", () => {
  expect(["web-research", "code-review", "data-analysis", "code"].sort(compareCodePoints)).toEqual([
    "code",
    "code-review",
    "data-analysis",
    "web-research",
  ]);
  expect(compareCodePoints("a", "a")).toBe(0);
  expect(compareCodePoints("B", "a")).toBeLessThan(0); // upper case first: not a collation
});

test("names: numbers by value, case ignored", () => {
  expect(["file10.txt", "File2.txt", "file1.txt"].sort(compareNatural)).toEqual([
    "file1.txt",
    "File2.txt",
    "file10.txt",
  ]);
});
