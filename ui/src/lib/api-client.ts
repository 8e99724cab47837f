/**
 * Typed calls to the HTTP API: `call("GET /api/sessions/:id", { params: { id } })` answers with the type
 * the route declares (its response schema, else its handler's return type), read from the server's routes
 * at compile time (ApiRoutes, src/server/routes/index.ts; a type-only import, so no server code is bundled).
 * Path parameters are required by name and encoded; `query` and `json` are typed by the route's schemas.
 * Every call goes through `api()` (lib/api.ts): the token header, 401 -> signed out, ApiError for failures.
 */
import type { ApiRoutes } from "../../../src/server/routes/index.ts";
import { api } from "./api.ts";

type Method = "get" | "post" | "put" | "patch" | "delete";

/**
 * The route tree flattened to `"METHOD /path"` keys. A key is a method when it holds a route (it has a
 * `response`); else it is a path segment, even one spelled like a method (`.../prompts/get`).
 */
type Flatten<Tree, Prefix extends string = ""> = {
  [Key in keyof Tree & string]: Key extends Method
    ? Tree[Key] extends { response: unknown }
      ? { [M in Key as `${Uppercase<M>} ${Prefix extends "" ? "/" : Prefix}`]: Tree[Key] }
      : Flatten<Tree[Key], `${Prefix}/${Key}`>
    : Flatten<Tree[Key], `${Prefix}/${Key}`>;
}[keyof Tree & string];
type Merge<Union> = (Union extends unknown ? (value: Union) => void : never) extends (
  value: infer All,
) => void
  ? All
  : never;
type Table = Merge<Flatten<ApiRoutes>>;

/** Every route of the API, e.g. "GET /api/sessions/:id". */
export type ApiRoute = keyof Table & string;

/** The declared 201 answer (creation routes), else the 200 one. */
type Success<Answers> = Answers extends { 201: infer Body }
  ? Body
  : Answers extends { 200: infer Body }
    ? Body
    : never;
/** What a route answers with when it succeeds. */
export type AnswerOf<Route extends ApiRoute> = Success<
  Table[Route] extends { response: infer R } ? R : never
>;

type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;
type PathOf<Route extends string> = Route extends `${string} ${infer Path}` ? Path : never;
type Field<Route extends ApiRoute, Name extends string> =
  Table[Route] extends Record<Name, infer Value> ? Value : never;

export type CallOptions<Route extends ApiRoute> = ([ParamNames<PathOf<Route>>] extends [never]
  ? { params?: undefined }
  : { params: Record<ParamNames<PathOf<Route>>, string> }) & {
  query?: Partial<Field<Route, "query">>;
  /** A JSON body, typed by the route's body schema. */
  json?: Field<Route, "body">;
  /** A raw body (FormData, Blob) for upload routes; `headers` may name it. */
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

type Rest<Route extends ApiRoute> = [ParamNames<PathOf<Route>>] extends [never]
  ? [options?: CallOptions<Route>]
  : [options: CallOptions<Route>];

/** The URL of a route with its parameters filled in (encoded) and its query appended. */
export function routeUrl(
  path: string,
  params: Record<string, string> | undefined,
  query: Record<string, unknown> | undefined,
): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`No value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

/** Call one route of the API (see the file comment). */
export function call<Route extends ApiRoute>(
  route: Route,
  ...[options]: Rest<Route>
): Promise<AnswerOf<Route>> {
  const space = route.indexOf(" ");
  const method = route.slice(0, space);
  const url = routeUrl(
    route.slice(space + 1),
    options?.params as Record<string, string> | undefined,
    options?.query as Record<string, unknown> | undefined,
  );
  return api<AnswerOf<Route>>(url, {
    method,
    ...(options?.json !== undefined ? { json: options.json } : {}),
    ...(options?.body !== undefined ? { body: options.body } : {}),
    ...(options?.headers ? { headers: options.headers } : {}),
    ...(options?.signal ? { signal: options.signal } : {}),
  });
}
