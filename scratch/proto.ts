import type { sessionRoutes } from "../src/server/routes/sessions.ts";
import type { healthRoutes } from "../src/server/routes/health.ts";
type R = ReturnType<typeof sessionRoutes>["~Routes"] & ReturnType<typeof healthRoutes>["~Routes"];
type Methods = "get" | "post" | "put" | "patch" | "delete";
type Flatten<T, P extends string = ""> = {
  [K in keyof T & string]: K extends Methods
    ? { [M in K as `${Uppercase<M>} ${P extends "" ? "/" : P}`]: T[K] }
    : Flatten<T[K], `${P}/${K}`>;
}[keyof T & string];
type U2I<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Flat = U2I<Flatten<R>>;
type Keys = keyof Flat;
const k: Keys = "x";
type H = Flat["GET /api/health"]["response"];
const h: H = 1;
type S = Flat["GET /api/sessions/:id"]["response"];
const s: S = 1;
