import { describe, expect, test } from "bun:test";
import { HELP, isLoopbackHost, type LaunchOptions, type ParsedArgs, parseArgs } from "../../src/core/args.ts";
import { VERSION } from "../../src/core/version.ts";

function options(parsed: ParsedArgs): LaunchOptions {
  if (parsed.kind !== "run") throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function errorOf(parsed: ParsedArgs): string {
  if (parsed.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe("parseArgs: defaults", () => {
  test("no flags and no environment: window on loopback, random port, XDG data", () => {
    expect(options(parseArgs([], {}))).toEqual({
      mode: "window",
      port: undefined,
      host: "127.0.0.1",
      dataDir: undefined,
      noOpen: false,
      openUrl: undefined,
      hidden: false,
      verbose: false,
      devOrigins: [],
      restoreBackup: undefined,
    });
  });

  test("a file or URL from the desktop entry (%U) is ignored", () => {
    expect(options(parseArgs(["/home/me/notes.txt", "https://example.org"], {})).mode).toBe("window");
  });
});

describe("parseArgs: --restore-backup", () => {
  test("alone: the newest good backup; with a file: that file; = form too", () => {
    expect(options(parseArgs(["--restore-backup"], {})).restoreBackup).toBe(true);
    expect(options(parseArgs(["--restore-backup", "--serve"], {}))).toMatchObject({
      restoreBackup: true,
      mode: "serve",
    });
    expect(options(parseArgs(["--restore-backup", "sage-20260101-000000.db"], {})).restoreBackup).toBe(
      "sage-20260101-000000.db",
    );
    expect(options(parseArgs(["--restore-backup=/x/b.db", "--serve"], {})).restoreBackup).toBe("/x/b.db");
    expect(errorOf(parseArgs(["--restore-backup="], {}))).toContain("needs a file");
  });

  test("is listed in --help", () => {
    expect(HELP).toContain("--restore-backup [FILE]");
  });
});

describe("parseArgs: flags", () => {
  test("--serve --port --host --data-dir --no-open --verbose", () => {
    const parsed = options(
      parseArgs(
        ["--serve", "--port", "4321", "--host", "0.0.0.0", "--data-dir", "/tmp/x", "--no-open", "--verbose"],
        {},
      ),
    );
    expect(parsed).toMatchObject({
      mode: "serve",
      port: 4321,
      host: "0.0.0.0",
      dataDir: "/tmp/x",
      noOpen: true,
      verbose: true,
    });
  });

  test("--flag=value form, including a value that itself contains '='", () => {
    const parsed = options(parseArgs(["--port=0", "--data-dir=/tmp/a=b", "--host=::1"], {}));
    expect(parsed.port).toBe(0);
    expect(parsed.dataDir).toBe("/tmp/a=b");
    expect(parsed.host).toBe("::1");
  });

  test("port bounds: 0 and 65535 accepted", () => {
    expect(options(parseArgs(["--port", "0"], {})).port).toBe(0);
    expect(options(parseArgs(["--port", "65535"], {})).port).toBe(65535);
  });

  test("--help and -h print the usage; --version and -v the version", () => {
    expect(parseArgs(["--help"], {})).toEqual({ kind: "help", text: HELP });
    expect(parseArgs(["--serve", "-h"], {})).toEqual({ kind: "help", text: HELP });
    expect(parseArgs(["--version"], {})).toEqual({ kind: "version", text: `Sage ${VERSION}` });
    expect(parseArgs(["-v"], {})).toEqual({ kind: "version", text: `Sage ${VERSION}` });
    for (const flag of ["--serve", "--port", "--host", "--data-dir", "--no-open", "--verbose"]) {
      expect(HELP).toContain(flag);
    }
  });
});

describe("parseArgs: environment", () => {
  test("SAGE_HOME, SAGE_PORT, SAGE_VERBOSE and SAGE_DEV_ORIGIN stand in for flags", () => {
    const parsed = options(
      parseArgs([], {
        SAGE_HOME: "/data/sage",
        SAGE_PORT: "9000",
        SAGE_VERBOSE: "1",
        SAGE_DEV_ORIGIN: "http://localhost:5173,http://127.0.0.1:5173",
      }),
    );
    expect(parsed.dataDir).toBe("/data/sage");
    expect(parsed.port).toBe(9000);
    expect(parsed.verbose).toBe(true);
    expect(parsed.devOrigins).toEqual(["http://localhost:5173", "http://127.0.0.1:5173"]);
  });

  test("flags win over the environment", () => {
    const parsed = options(
      parseArgs(["--port", "1234", "--data-dir", "/flag"], { SAGE_PORT: "9000", SAGE_HOME: "/env" }),
    );
    expect(parsed.port).toBe(1234);
    expect(parsed.dataDir).toBe("/flag");
  });

  test("empty SAGE_HOME and SAGE_VERBOSE other than 1 are ignored", () => {
    const parsed = options(parseArgs([], { SAGE_HOME: "", SAGE_VERBOSE: "yes" }));
    expect(parsed.dataDir).toBeUndefined();
    expect(parsed.verbose).toBe(false);
  });
});

describe("parseArgs: errors", () => {
  test("unknown option names itself and points at --help", () => {
    expect(errorOf(parseArgs(["--frobnicate"], {}))).toBe("Unknown option --frobnicate. Try --help.");
    expect(errorOf(parseArgs(["-x"], {}))).toContain("-x");
  });

  test.each([["abc"], ["-1"], ["65536"], ["123456"], ["80.5"], [""]])(
    "--port %p is refused with the value quoted",
    (value) => {
      expect(errorOf(parseArgs(["--port", value], {}))).toBe(
        `--port needs a port number (0-65535), got "${value}"`,
      );
    },
  );

  test("--port with no value", () => {
    expect(errorOf(parseArgs(["--port"], {}))).toBe('--port needs a port number (0-65535), got ""');
  });

  test("--host and --data-dir need a value", () => {
    expect(errorOf(parseArgs(["--host"], {}))).toContain("--host needs an address");
    expect(errorOf(parseArgs(["--data-dir"], {}))).toBe("--data-dir needs a folder");
    expect(errorOf(parseArgs(["--data-dir="], {}))).toBe("--data-dir needs a folder");
  });

  test("a bad SAGE_PORT is an error even without flags", () => {
    expect(errorOf(parseArgs([], { SAGE_PORT: "http" }))).toBe('SAGE_PORT must be a port number, got "http"');
    expect(errorOf(parseArgs(["--serve"], { SAGE_PORT: "70000" }))).toContain("SAGE_PORT");
  });
});

describe("isLoopbackHost", () => {
  test.each([["127.0.0.1"], ["localhost"], ["::1"], ["[::1]"]])("%p is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  test.each([["0.0.0.0"], ["192.168.1.2"], ["localhost.evil.example"], [""]])(
    "%p is not loopback",
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe("parseArgs: desktop integration", () => {
  test("--install and --uninstall are commands of their own", () => {
    expect(parseArgs(["--install"], {})).toEqual({ kind: "install" });
    expect(parseArgs(["--uninstall"], {})).toEqual({ kind: "uninstall" });
  });
  test("a sage: link from the desktop is kept to open; other words are ignored", () => {
    expect(options(parseArgs(["sage://session/ses_1"], {})).openUrl).toBe("sage://session/ses_1");
    expect(options(parseArgs(["/some/file.txt"], {})).openUrl).toBeUndefined();
  });
});
