/** WindowFocus: any page focused counts; a blur or a stale report stops counting. */
import { expect, test } from "bun:test";
import { WindowFocus } from "../../src/desktop/window-focus.ts";

test("focused while any page's latest report says so; stale reports expire", () => {
  let now = 1_000;
  const focus = new WindowFocus(60_000, () => now);
  expect(focus.focused).toBe(false);
  focus.report("a", true);
  focus.report("b", true);
  focus.report("a", false);
  expect(focus.focused).toBe(true);
  focus.report("b", false);
  expect(focus.focused).toBe(false);
  focus.report("c", true);
  now += 60_001;
  expect(focus.focused).toBe(false);
});
