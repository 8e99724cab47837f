/**
 * The body of every error answer of the HTTP API (src/server/http-errors.ts is the one place errors become
 * responses; src/server/security.ts answers refused requests the same way): `{ error: { code, message, field? } }`.
 * `message` is written for the user; `code` is stable for programs; `field` names the input at fault.
 */
import { type Static, Type as T } from "@sinclair/typebox";

export const ApiErrorBody = T.Object(
  {
    error: T.Object({
      code: T.String({ description: "Stable, e.g. invalid, not_found, conflict, too_large, unauthorized" }),
      message: T.String({ description: "For the user; never names internal paths or secrets" }),
      field: T.Optional(T.String({ description: "The request field at fault" })),
    }),
  },
  { title: "Error", description: "What went wrong, for every 4xx and 5xx answer" },
);
export type ApiErrorBody = Static<typeof ApiErrorBody>;
