/** Reading refs back from a snapshot tree (src/browser/snapshot-refs.ts), as playwright-core writes it. */
import { expect, test } from "bun:test";
import { elementLabel, parseSnapshotRefs } from "../../src/browser/snapshot-refs.ts";

const tree = `- generic [active] [ref=e1]:
  - heading "Welcome" [level=1] [ref=e2]
  - button "Sign \\"in\\" now" [ref=e3]
  - generic [ref=e4]:
    - text: Email
    - textbox "Email" [ref=e5]: ada@example.com
  - link "Docs" [ref=e8] [cursor=pointer]:
    - /url: /x
  - checkbox "Keep me" [checked]
  - iframe [ref=e12]:
    - button "Inner" [ref=f1e2]
  - paragraph [ref=e13]: Some text
  - textbox [ref=e15]`;

test("every ref gets its role, unescaped name and inline text; lines without a ref are skipped", () => {
  const refs = parseSnapshotRefs(tree);
  expect(refs.get("e2")).toEqual({ role: "heading", name: "Welcome" });
  expect(refs.get("e3")).toEqual({ role: "button", name: 'Sign "in" now' });
  expect(refs.get("e5")).toEqual({ role: "textbox", name: "Email", text: "ada@example.com" });
  expect(refs.get("e8")).toEqual({ role: "link", name: "Docs" });
  expect(refs.get("f1e2")).toEqual({ role: "button", name: "Inner" });
  expect(refs.get("e13")).toEqual({ role: "paragraph", name: "", text: "Some text" });
  expect(refs.get("e15")).toEqual({ role: "textbox", name: "" });
  expect([...refs.keys()]).toEqual(["e1", "e2", "e3", "e4", "e5", "e8", "e12", "f1e2", "e13", "e15"]);
});

test("labels: role and name, else the inline text, else the role; long names are shortened", () => {
  const refs = parseSnapshotRefs(tree);
  expect(elementLabel(refs.get("e3")!)).toBe('button “Sign "in" now”');
  expect(elementLabel(refs.get("e13")!)).toBe("paragraph “Some text”");
  expect(elementLabel(refs.get("e15")!)).toBe("textbox");
  expect(elementLabel({ role: "link", name: "x".repeat(200) })).toBe(`link “${"x".repeat(79)}…”`);
});
