/**
 * Whether a shell command line only reads (plan mode lets such commands run; src/sandbox/plan-mode-policy.ts).
 *
 * Deliberately conservative: a command is read-only when every command of its pipelines and lists
 * (`|`, `&&`, `||`, `;`, newlines) starts with a program known to only read, with no argument that
 * makes it write (find -delete, sort -o, git subcommands other than the reading ones), and the line
 * has no output redirection other than to /dev/null or another descriptor, no command substitution
 * (`$(...)`, backquotes, `<(...)`), no background `&` and no variable assignment. Anything the parser
 * does not understand is "not read-only": a false refusal costs the model one retry, a false "read-only"
 * would let plan mode change things.
 */

/** Programs that only read files or print facts (with the argument checks below). */
const READ_ONLY_PROGRAMS = new Set([
  "cat",
  "head",
  "tail",
  "wc",
  "ls",
  "tree",
  "pwd",
  "echo",
  "printf",
  "grep",
  "egrep",
  "fgrep",
  "rg",
  "ag",
  "find",
  "fd",
  "stat",
  "file",
  "du",
  "df",
  "which",
  "whereis",
  "type",
  "sort",
  "uniq",
  "cut",
  "tr",
  "nl",
  "diff",
  "cmp",
  "comm",
  "basename",
  "dirname",
  "realpath",
  "readlink",
  "date",
  "uname",
  "whoami",
  "id",
  "jq",
  "md5sum",
  "sha1sum",
  "sha256sum",
  "true",
  "false",
  "test",
  "git",
]);

const GIT_READING = new Set([
  "status",
  "log",
  "diff",
  "show",
  "blame",
  "ls-files",
  "rev-parse",
  "grep",
  "shortlog",
  "describe",
]);

const FIND_WRITING = new Set([
  "-delete",
  "-exec",
  "-execdir",
  "-ok",
  "-okdir",
  "-fprint",
  "-fprint0",
  "-fprintf",
  "-fls",
]);

export interface CommandVerdict {
  readOnly: boolean;
  /** Why not, in words for the model (absent when read-only). */
  reason?: string;
}

/** Split a command line into simple commands (words, quotes removed), or a reason it cannot be judged. */
function simpleCommands(line: string): string[][] | string {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    const next = line[i + 1];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    if (char === "`" || (char === "$" && next === "(")) return "it uses command substitution";
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === "\\" && next !== undefined) {
        word += next;
        i++;
      } else word += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
      continue;
    }
    if (char === "\\" && next !== undefined) {
      word += next;
      inWord = true;
      i++;
      continue;
    }
    if (char === "|" || char === ";" || char === "\n") {
      endCommand();
      if (next === char) i++;
      continue;
    }
    if (char === "&") {
      if (next === "&") {
        endCommand();
        i++;
        continue;
      }
      return "it starts a background process (&)";
    }
    if ((char === "<" || char === ">") && next === "(") return "it uses process substitution";
    if (char === ">") {
      let j = i + 1;
      if (line[j] === ">") j++;
      while (line[j] === " " || line[j] === "\t") j++;
      if (line[j] === "&" && /[0-9-]/.test(line[j + 1] ?? "")) j += 2;
      else if (line.startsWith("/dev/null", j) && !/[^\s;|&]/.test(line[j + 9] ?? " ")) j += 9;
      else return "it redirects output into a file";
      // The descriptor digit before ">" (2>) was read into the current word: drop it.
      if (inWord && /^[0-9]$/.test(word)) {
        word = "";
        inWord = false;
      }
      endWord();
      i = j - 1;
      continue;
    }
    if (char === " " || char === "\t") {
      endWord();
      continue;
    }
    word += char;
    inWord = true;
  }
  if (quote) return "its quotes are not closed";
  endCommand();
  return commands;
}

function judge(words: string[]): string | undefined {
  const [program, ...args] = words as [string, ...string[]];
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(program)) return "it sets variables";
  const name = program.split("/").pop() ?? program;
  if (!READ_ONLY_PROGRAMS.has(name)) return `${name} may change things`;
  if (name === "find" && args.some((arg) => FIND_WRITING.has(arg))) return "find would run or delete";
  if (name === "rg" && args.some((arg) => arg === "--pre" || arg.startsWith("--pre=")))
    return "rg --pre runs a program";
  if (name === "sort" && args.some((arg) => arg === "-o" || arg.startsWith("--output")))
    return "sort -o writes a file";
  if (name === "git") {
    const sub = args.find((arg) => !arg.startsWith("-"));
    if (!sub || !GIT_READING.has(sub)) return `git ${sub ?? ""} may change the repository`.replace("  ", " ");
    if (args.some((arg) => arg === "--output" || arg.startsWith("--output=")))
      return "git --output writes a file";
  }
  return undefined;
}

export function judgeCommand(line: string): CommandVerdict {
  const commands = simpleCommands(line);
  if (typeof commands === "string") return { readOnly: false, reason: commands };
  if (commands.length === 0) return { readOnly: false, reason: "it is empty" };
  for (const words of commands) {
    const reason = judge(words);
    if (reason) return { readOnly: false, reason };
  }
  return { readOnly: true };
}
