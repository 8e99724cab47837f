/**
 * The languages Sage highlights, each a lazy chunk of the highlighter worker: a grammar is fetched (from
 * the executable's embedded UI) the first time a code block in it appears. Only these are shipped —
 * shiki has over 200 grammars (~10 MB); these cover what people paste into chats and keep in
 * workspaces. A block in another language shows as plain text.
 *
 * Keys are the names (and common aliases) a code fence or a file extension gives; several keys may
 * share one grammar.
 */

type GrammarModule = Promise<{ default: unknown[] }>;

const bash = () => import("shiki/langs/shellscript.mjs") as GrammarModule;
const javascript = () => import("shiki/langs/javascript.mjs") as GrammarModule;
const typescript = () => import("shiki/langs/typescript.mjs") as GrammarModule;
const python = () => import("shiki/langs/python.mjs") as GrammarModule;
const yaml = () => import("shiki/langs/yaml.mjs") as GrammarModule;
const markdown = () => import("shiki/langs/markdown.mjs") as GrammarModule;
const cpp = () => import("shiki/langs/cpp.mjs") as GrammarModule;
const csharp = () => import("shiki/langs/csharp.mjs") as GrammarModule;
const docker = () => import("shiki/langs/docker.mjs") as GrammarModule;
const make = () => import("shiki/langs/make.mjs") as GrammarModule;
const ruby = () => import("shiki/langs/ruby.mjs") as GrammarModule;
const rust = () => import("shiki/langs/rust.mjs") as GrammarModule;
const kotlin = () => import("shiki/langs/kotlin.mjs") as GrammarModule;
const powershell = () => import("shiki/langs/powershell.mjs") as GrammarModule;
const terraform = () => import("shiki/langs/terraform.mjs") as GrammarModule;
const ini = () => import("shiki/langs/ini.mjs") as GrammarModule;

export const LANGUAGES: Record<string, () => GrammarModule> = {
  bash,
  sh: bash,
  shell: bash,
  shellscript: bash,
  zsh: bash,
  console: bash,
  javascript,
  js: javascript,
  mjs: javascript,
  cjs: javascript,
  typescript,
  ts: typescript,
  mts: typescript,
  cts: typescript,
  jsx: () => import("shiki/langs/jsx.mjs") as GrammarModule,
  tsx: () => import("shiki/langs/tsx.mjs") as GrammarModule,
  json: () => import("shiki/langs/json.mjs") as GrammarModule,
  jsonc: () => import("shiki/langs/jsonc.mjs") as GrammarModule,
  python,
  py: python,
  yaml,
  yml: yaml,
  markdown,
  md: markdown,
  html: () => import("shiki/langs/html.mjs") as GrammarModule,
  css: () => import("shiki/langs/css.mjs") as GrammarModule,
  scss: () => import("shiki/langs/scss.mjs") as GrammarModule,
  xml: () => import("shiki/langs/xml.mjs") as GrammarModule,
  svg: () => import("shiki/langs/xml.mjs") as GrammarModule,
  sql: () => import("shiki/langs/sql.mjs") as GrammarModule,
  c: () => import("shiki/langs/c.mjs") as GrammarModule,
  h: () => import("shiki/langs/c.mjs") as GrammarModule,
  cpp,
  "c++": cpp,
  cc: cpp,
  hpp: cpp,
  csharp,
  cs: csharp,
  "c#": csharp,
  go: () => import("shiki/langs/go.mjs") as GrammarModule,
  rust,
  rs: rust,
  java: () => import("shiki/langs/java.mjs") as GrammarModule,
  kotlin,
  kt: kotlin,
  swift: () => import("shiki/langs/swift.mjs") as GrammarModule,
  ruby,
  rb: ruby,
  php: () => import("shiki/langs/php.mjs") as GrammarModule,
  lua: () => import("shiki/langs/lua.mjs") as GrammarModule,
  r: () => import("shiki/langs/r.mjs") as GrammarModule,
  scala: () => import("shiki/langs/scala.mjs") as GrammarModule,
  dart: () => import("shiki/langs/dart.mjs") as GrammarModule,
  haskell: () => import("shiki/langs/haskell.mjs") as GrammarModule,
  elixir: () => import("shiki/langs/elixir.mjs") as GrammarModule,
  zig: () => import("shiki/langs/zig.mjs") as GrammarModule,
  nix: () => import("shiki/langs/nix.mjs") as GrammarModule,
  vue: () => import("shiki/langs/vue.mjs") as GrammarModule,
  svelte: () => import("shiki/langs/svelte.mjs") as GrammarModule,
  graphql: () => import("shiki/langs/graphql.mjs") as GrammarModule,
  proto: () => import("shiki/langs/proto.mjs") as GrammarModule,
  protobuf: () => import("shiki/langs/proto.mjs") as GrammarModule,
  terraform,
  tf: terraform,
  hcl: () => import("shiki/langs/hcl.mjs") as GrammarModule,
  toml: () => import("shiki/langs/toml.mjs") as GrammarModule,
  ini,
  conf: ini,
  dotenv: () => import("shiki/langs/dotenv.mjs") as GrammarModule,
  env: () => import("shiki/langs/dotenv.mjs") as GrammarModule,
  diff: () => import("shiki/langs/diff.mjs") as GrammarModule,
  patch: () => import("shiki/langs/diff.mjs") as GrammarModule,
  docker,
  dockerfile: docker,
  make,
  makefile: make,
  powershell,
  ps1: powershell,
  latex: () => import("shiki/langs/latex.mjs") as GrammarModule,
  tex: () => import("shiki/langs/latex.mjs") as GrammarModule,
  nginx: () => import("shiki/langs/nginx.mjs") as GrammarModule,
  perl: () => import("shiki/langs/perl.mjs") as GrammarModule,
  groovy: () => import("shiki/langs/groovy.mjs") as GrammarModule,
  "objective-c": () => import("shiki/langs/objective-c.mjs") as GrammarModule,
  objc: () => import("shiki/langs/objective-c.mjs") as GrammarModule,
};
