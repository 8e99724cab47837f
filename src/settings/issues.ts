/** Validation issues (src/shared/validation.ts) as the named errors the HTTP layer maps: 400 or 409. */
import { ConflictError, ValidationError } from "../core/errors.ts";
import { type FieldIssue, issueMessage } from "../shared/validation.ts";

/** Throw the first issue: a duplicate name is a `ConflictError` (409), anything else a `ValidationError` (400). */
export function throwFirstIssue(issues: readonly FieldIssue[]): void {
  const first = issues[0];
  if (!first) return;
  if (first.code === "duplicate")
    throw Object.assign(new ConflictError(issueMessage(first)), { field: first.field });
  throw new ValidationError(issueMessage(first), first.field);
}
