import { describe, expect, test } from "bun:test";
import {
  buildShellEnvironment,
  looksSecret,
  nonInteractiveSettings,
  removedVariableNames,
} from "../../src/sandbox/environment.ts";

describe("looksSecret", () => {
  test.each([
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GITHUB_TOKEN",
    "HF_TOKEN",
    "NPM_TOKEN",
    "MY_SECRET",
    "CLIENT_SECRET_VALUE",
    "DB_PASSWORD",
    "MYSQL_PWD_PASSWORD",
    "DBPASSWORD",
    "SMTP_PASS",
    "AWS_ACCESS_KEY_ID",
    "AWS_SESSION_TOKEN",
    "AZURE_CLIENT_ID",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "SAGE_HOME",
    "SAGE_TEST",
    "SSH_AUTH_SOCK",
    "DATABASE_URL",
    "SENTRY_DSN",
    "GH_PAT",
    "SIGNING_KEY",
    "GPG_PRIVATE_KEY",
    "APITOKEN",
    "openai_api_key",
  ])("%s is secret", (name) => {
    expect(looksSecret(name)).toBe(true);
  });

  test.each([
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TERM",
    "USER",
    "SHELL",
    "EDITOR",
    "XDG_RUNTIME_DIR",
    "TOKENIZERS_PARALLELISM",
    "KEYBOARD_LAYOUT",
    "XAUTHORITY_HINT",
    "PASSIVE_MODE",
    "NODE_OPTIONS",
    "GOPATH",
  ])("%s is not secret", (name) => {
    expect(looksSecret(name)).toBe(false);
  });

  test("a URL with a password in the value is secret whatever the name", () => {
    expect(looksSecret("UPSTREAM", "postgres://admin:hunter2@db.internal:5432/app")).toBe(true);
    expect(looksSecret("UPSTREAM", "https://example.org/path")).toBe(false);
    expect(looksSecret("UPSTREAM", "https://user@example.org/path")).toBe(false);
  });
});

describe("buildShellEnvironment", () => {
  const base = {
    PATH: "/opt/tools/bin:/usr/bin",
    HOME: "/home/someone",
    LANG: "en_GB.UTF-8",
    USER: "someone",
    TERM: "xterm-256color",
    PWD: "/where/sage/started",
    OPENAI_API_KEY: "sk-live-123",
    GITHUB_TOKEN: "ghp_abc",
    AWS_SECRET_ACCESS_KEY: "aws-secret",
    AWS_REGION: "eu-west-1",
    SAGE_HOME: "/home/someone/.local/share/sage",
    UNDEFINED_ONE: undefined,
  };

  test("drops secrets, Sage's own variables and the app's PWD; keeps the rest", () => {
    const environment = buildShellEnvironment({ base });
    expect(environment.PATH).toBe("/opt/tools/bin:/usr/bin");
    expect(environment.HOME).toBe("/home/someone");
    expect(environment.LANG).toBe("en_GB.UTF-8");
    expect(environment.USER).toBe("someone");
    for (const name of [
      "OPENAI_API_KEY",
      "GITHUB_TOKEN",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_REGION",
      "SAGE_HOME",
      "PWD",
    ]) {
      expect(environment[name]).toBeUndefined();
    }
    expect("UNDEFINED_ONE" in environment).toBe(false);
    expect(Object.values(environment).join("\n")).not.toContain("sk-live-123");
  });

  test("sets the non-interactive settings, overriding the app's terminal", () => {
    const environment = buildShellEnvironment({ base });
    for (const [name, value] of Object.entries(nonInteractiveSettings)) expect(environment[name]).toBe(value);
    expect(environment.TERM).toBe("dumb");
  });

  test("fills in PATH and LANG when the app has none", () => {
    const environment = buildShellEnvironment({ base: { HOME: "/h" } });
    expect(environment.PATH).toContain("/usr/bin");
    expect(environment.LANG).toBe("C.UTF-8");
    expect(buildShellEnvironment({ base: { LC_ALL: "de_DE.UTF-8" } }).LANG).toBeUndefined();
  });

  test("allowed names pass through, with * patterns", () => {
    const environment = buildShellEnvironment({ base, allow: ["GITHUB_TOKEN", "AWS_*"] });
    expect(environment.GITHUB_TOKEN).toBe("ghp_abc");
    expect(environment.AWS_REGION).toBe("eu-west-1");
    expect(environment.AWS_SECRET_ACCESS_KEY).toBe("aws-secret");
    expect(environment.OPENAI_API_KEY).toBeUndefined();
    // A pattern is anchored: it does not match a longer name.
    expect(buildShellEnvironment({ base, allow: ["GITHUB"] }).GITHUB_TOKEN).toBeUndefined();
    // Regular-expression characters in a pattern are literal.
    expect(buildShellEnvironment({ base, allow: ["GITHUB.TOKEN"] }).GITHUB_TOKEN).toBeUndefined();
  });

  test("the user's own variables are kept as given and win over everything", () => {
    const environment = buildShellEnvironment({
      base,
      extra: { DEPLOY_TOKEN: "chosen-by-user", TERM: "xterm", PATH: "/custom/bin" },
    });
    expect(environment.DEPLOY_TOKEN).toBe("chosen-by-user");
    expect(environment.TERM).toBe("xterm");
    expect(environment.PATH).toBe("/custom/bin");
  });

  test("refuses malformed user variables with a clear error", () => {
    expect(() => buildShellEnvironment({ base, extra: { "A=B": "x" } })).toThrow(
      /Invalid environment variable/,
    );
    expect(() => buildShellEnvironment({ base, extra: { "": "x" } })).toThrow(/Invalid environment variable/);
    expect(() => buildShellEnvironment({ base, extra: { GOOD: "a\0b" } })).toThrow(/NUL/);
  });

  test("removedVariableNames lists exactly what was scrubbed", () => {
    expect(removedVariableNames({ base, allow: ["GITHUB_TOKEN"] })).toEqual([
      "AWS_REGION",
      "AWS_SECRET_ACCESS_KEY",
      "OPENAI_API_KEY",
      "PWD",
      "SAGE_HOME",
    ]);
  });

  test("a real child process sees none of the scrubbed variables", async () => {
    const environment = buildShellEnvironment({
      base: { ...process.env, MY_SERVICE_TOKEN: "very-secret-value" },
    });
    const child = Bun.spawn(["/bin/sh", "-c", "env"], { env: environment, stdout: "pipe" });
    const printed = await new Response(child.stdout).text();
    await child.exited;
    expect(printed).not.toContain("very-secret-value");
    expect(printed).not.toContain("SAGE_HOME=");
    expect(printed).toContain("TERM=dumb");
  });
});
