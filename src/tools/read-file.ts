/**
 * read_file: a text file with line numbers (a window of lines at a time), or an image for vision
 * models. Binary files are described (type and size) instead of dumped. Directories are refused with
 * a hint to use list_dir.
 */
import { open, stat } from "node:fs/promises";
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { formatBytes } from "../shared/byte-size.ts";
import {
  binaryProbeBytes,
  clipLine,
  describeBinaryType,
  errorCode,
  imageMimeType,
  looksBinary,
  maximumTextFileBytes,
  splitLines,
} from "./fs-helpers.ts";

export const defaultReadLineLimit = 2000;
/** Longer lines are clipped in the output. */
export const maximumLineCharacters = 2000;
/** Largest image sent to the model. */
export const maximumImageBytes = 5 * 1024 * 1024;

const description = `Read a file in the workspace.

- Text files come back with line numbers (like \`cat -n\`): "<number>\\t<text>". The numbers are not part of the file; never include them in edits.
- Reads up to ${defaultReadLineLimit} lines from \`offset\` (1-based line number, default 1). For long files, read the next window with a larger offset.
- Lines longer than ${maximumLineCharacters} characters are clipped.
- PNG, JPEG, GIF and WebP images are returned as images you can look at.
- Binary files are described (type and size) instead of shown; folders are refused (use list_dir).
- Paths are relative to the workspace.`;

export const readFileTool = defineTool({
  name: "read_file",
  description,
  kind: "read",
  parameters: T.Object({
    path: T.String({ description: "File path, relative to the workspace." }),
    offset: T.Optional(T.Integer({ minimum: 1, description: "First line to read (1-based). Default: 1." })),
    limit: T.Optional(
      T.Integer({
        minimum: 1,
        description: `How many lines to read. Default: ${defaultReadLineLimit}.`,
      }),
    ),
  }),
  async execute(params, ctx) {
    const absolutePath = ctx.workspace.resolve(params.path);
    const displayPath = ctx.workspace.relative(absolutePath);
    let size: number;
    try {
      const info = await stat(absolutePath);
      if (info.isDirectory()) {
        throw new ToolError(`${displayPath} is a directory, not a file. Use list_dir to see its contents.`);
      }
      if (!info.isFile()) throw new ToolError(`${displayPath} is not a regular file.`);
      size = info.size;
    } catch (error) {
      if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") {
        throw new ToolError(`File not found: ${displayPath}. Use list_dir or glob to find the right path.`);
      }
      throw error;
    }
    ctx.signal.throwIfAborted();

    const head = await readHead(absolutePath, Math.min(size, binaryProbeBytes));
    const image = imageMimeType(head);
    if (image) {
      if (size > maximumImageBytes) {
        throw new ToolError(
          `${displayPath} is an image (${image}) of ${formatBytes(size)}, over the ${formatBytes(maximumImageBytes)} limit for images.`,
        );
      }
      const data = Buffer.from(await Bun.file(absolutePath).arrayBuffer()).toString("base64");
      return {
        text: `Image ${displayPath} (${image}, ${formatBytes(size)}).`,
        images: [{ mime: image, data, path: displayPath }],
        details: { path: displayPath, kind: "image", mime: image, bytes: size },
      };
    }
    if (looksBinary(head)) {
      const type = describeBinaryType(head, absolutePath);
      return {
        text: `${displayPath} is a binary file (${type}, ${formatBytes(size)}); its contents are not shown.`,
        details: { path: displayPath, kind: "binary", type, bytes: size },
      };
    }
    if (size > maximumTextFileBytes) {
      throw new ToolError(
        `${displayPath} is ${formatBytes(size)}, over the ${formatBytes(maximumTextFileBytes)} limit for reading. Use grep to find the lines you need.`,
      );
    }

    const text = await Bun.file(absolutePath).text();
    ctx.signal.throwIfAborted();
    return formatLines(displayPath, text, params.offset ?? 1, params.limit ?? defaultReadLineLimit);
  },
});

async function readHead(absolutePath: string, length: number): Promise<Uint8Array> {
  const handle = await open(absolutePath, "r");
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function formatLines(displayPath: string, text: string, offset: number, limit: number) {
  const lines = splitLines(text.replace(/^\uFEFF/, ""));
  const totalLines = lines.length;
  if (totalLines === 0) {
    return {
      text: `${displayPath} is empty.`,
      details: { path: displayPath, kind: "text", totalLines: 0, firstLine: 0, lastLine: 0 },
    };
  }
  if (offset > totalLines) {
    throw new ToolError(
      `offset ${offset} is past the end of ${displayPath}, which has ${totalLines} line${totalLines === 1 ? "" : "s"}.`,
    );
  }
  const lastLine = Math.min(totalLines, offset + limit - 1);
  const width = String(lastLine).length;
  const numbered: string[] = [];
  for (let lineNumber = offset; lineNumber <= lastLine; lineNumber += 1) {
    const line = lines[lineNumber - 1]!.replace(/\r$/, "");
    numbered.push(
      `${String(lineNumber).padStart(Math.max(width, 6))}\t${clipLine(line, maximumLineCharacters)}`,
    );
  }
  let output = numbered.join("\n");
  if (lastLine < totalLines) {
    output += `\n\n[Showing lines ${offset}-${lastLine} of ${totalLines}. Call read_file with offset ${lastLine + 1} to read more.]`;
  }
  return {
    text: output,
    details: { path: displayPath, kind: "text", totalLines, firstLine: offset, lastLine },
  };
}
