/**
 * An MCP server's tool as a Sage tool, so it goes through the same tool runner as the built-ins:
 * argument validation (the tool's JSON Schema, with Ajv), approval (kind "mcp": asks by default; a
 * tool the server annotates read-only defaults to "allow" only when the user trusts that server's
 * read-only tools), output truncation, the audit log and Stop.
 *
 * Names: `mcp__<server>__<tool>`, reduced to the characters and length every provider accepts
 * (`[A-Za-z0-9_-]`, 64); a name that had to be cut ends in a short hash so two tools never collide.
 *
 * Results: text parts are joined; images (also image resources) go to the model and are saved under
 * `.sage/tool-output/` for the tool card; text resources are shown with their URI; binary resources and
 * audio are saved to a file the model is told about; `structuredContent` without text is given as
 * JSON; `isError` results are tool errors. Progress notifications show on the tool card.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { TSchema } from "@sinclair/typebox";
import {
  type AnyTool,
  type ToolContext,
  ToolError,
  type ToolImage,
  type ToolResult,
} from "../agent/tool-contract.ts";
import { MCP_TOOL_PREFIX } from "../shared/mcp.ts";
import type { McpConnection } from "./connection.ts";
import { samplerFor } from "./sampling.ts";

const MAX_NAME = 64;
const MAX_DESCRIPTION = 8000;
const OUTPUT_FOLDER = ".sage/tool-output";
const validators = new AjvJsonSchemaValidator();

/** The name the model calls for `tool` of `server`. */
export function qualifiedToolName(server: string, tool: string): string {
  const clean = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, "_");
  const full = `${MCP_TOOL_PREFIX}${clean(server)}__${clean(tool)}`;
  if (full.length <= MAX_NAME && clean(tool) === tool) return full;
  // Bun's native hasher: node:crypto would cost ~10 MB of resident memory just to load.
  const hash = new Bun.CryptoHasher("sha256").update(`${server}\u0000${tool}`).digest("hex").slice(0, 6);
  return `${full.slice(0, MAX_NAME - 7)}_${hash}`;
}

export type AdaptResult = { tool: AnyTool } | { skipped: string };

/** A Sage tool for one MCP tool, or why it cannot be offered (its input schema does not compile). */
export function adaptTool(connection: McpConnection, tool: Tool): AdaptResult {
  const server = connection.config.name;
  const schema: Record<string, unknown> = { ...tool.inputSchema, type: "object" };
  let check: (input: unknown) => { valid: boolean; errorMessage?: string };
  try {
    check = validators.getValidator(schema as never);
  } catch (error) {
    return {
      skipped: `its input schema is not valid JSON Schema (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const readOnly = tool.annotations?.readOnlyHint === true;
  const label = tool.title ?? tool.annotations?.title ?? tool.name;
  const description = `${(tool.description ?? label).slice(0, MAX_DESCRIPTION)}\n\n(Tool "${tool.name}" of the MCP server "${server}".)`;
  const adapted: AnyTool = {
    name: qualifiedToolName(server, tool.name),
    description,
    parameters: schema as unknown as TSchema,
    kind: "mcp",
    origin: { source: "mcp", server },
    ...(readOnly && connection.config.trustReadOnly ? { defaultApproval: "allow" as const } : {}),
    validate(input) {
      const result = check(input ?? {});
      return result.valid ? undefined : (result.errorMessage ?? "they do not match the schema");
    },
    describe(params) {
      return {
        title: `${label} (MCP server "${server}"${readOnly ? ", read-only" : ""})`,
        detail: JSON.stringify(params ?? {}, null, 2),
        detailKind: "json",
      };
    },
    async execute(params, ctx) {
      const result = await connection.callTool(tool.name, (params ?? {}) as Record<string, unknown>, {
        signal: ctx.signal,
        workspaceRoot: ctx.workspace.root,
        sampler: samplerFor(server, ctx),
        onProgress(progress) {
          const total = progress.total !== undefined ? `/${progress.total}` : "";
          const message = progress.message ? ` ${progress.message}` : "";
          ctx.progress({ stream: "info", text: `progress ${progress.progress}${total}${message}\n` });
        },
      });
      return toToolResult(result, { server, tool: tool.name }, ctx);
    },
  };
  return { tool: adapted };
}

/** An MCP tool result as Sage's `ToolResult` (an `isError` result throws `ToolError` with its text). */
export async function toToolResult(
  result: CallToolResult,
  origin: { server: string; tool: string },
  ctx: Pick<ToolContext, "workspace" | "callId">,
): Promise<ToolResult> {
  const texts: string[] = [];
  const images: ToolImage[] = [];
  let fileIndex = 0;
  const save = async (data: string, mime: string): Promise<string | undefined> => {
    try {
      const name = `${ctx.callId.replace(/[^\w.-]/g, "_")}-${++fileIndex}${extensionFor(mime)}`;
      const absolute = ctx.workspace.resolve(`${OUTPUT_FOLDER}/${name}`);
      await mkdir(dirname(absolute), { recursive: true });
      await writeFile(absolute, Buffer.from(data, "base64"));
      return ctx.workspace.relative(absolute);
    } catch {
      return undefined;
    }
  };
  for (const part of result.content ?? []) {
    switch (part.type) {
      case "text":
        texts.push(part.text);
        break;
      case "image": {
        const path = await save(part.data, part.mimeType);
        images.push({ mime: part.mimeType, data: part.data, ...(path ? { path } : {}) });
        texts.push(`[image ${part.mimeType}${path ? `, saved as ${path}` : ""}]`);
        break;
      }
      case "audio": {
        const path = await save(part.data, part.mimeType);
        texts.push(`[audio ${part.mimeType}${path ? `, saved as ${path}` : " (could not be saved)"}]`);
        break;
      }
      case "resource_link":
        texts.push(
          `[resource link: ${part.uri}${part.name ? ` "${part.name}"` : ""}${part.mimeType ? ` (${part.mimeType})` : ""}${part.description ? ` — ${part.description}` : ""}]`,
        );
        break;
      case "resource": {
        const resource = part.resource;
        const mime = resource.mimeType ?? "application/octet-stream";
        if ("text" in resource && typeof resource.text === "string") {
          texts.push(
            `Resource ${resource.uri}${resource.mimeType ? ` (${resource.mimeType})` : ""}:\n${resource.text}`,
          );
        } else if ("blob" in resource && typeof resource.blob === "string") {
          const path = await save(resource.blob, mime);
          if (mime.startsWith("image/"))
            images.push({ mime, data: resource.blob, ...(path ? { path } : {}) });
          const bytes = Math.floor((resource.blob.length * 3) / 4);
          texts.push(
            `[resource ${resource.uri} (${mime}, ${bytes} bytes)${path ? `, saved as ${path}` : ""}]`,
          );
        }
        break;
      }
      default:
        texts.push(`[${(part as { type?: string }).type ?? "unknown"} content]`);
    }
  }
  if (texts.length === 0 && result.structuredContent !== undefined)
    texts.push(JSON.stringify(result.structuredContent, null, 2));
  const text = texts.join("\n");
  if (result.isError) {
    throw new ToolError(
      `The MCP tool ${origin.tool} (server "${origin.server}") returned an error: ${text || "no details"}`,
    );
  }
  return {
    text: text || "(the tool returned no content)",
    ...(images.length ? { images } : {}),
    details: {
      server: origin.server,
      mcpTool: origin.tool,
      ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
    },
  };
}

function extensionFor(mime: string): string {
  const known: Record<string, string> = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
    "audio/wav": ".wav",
    "audio/mpeg": ".mp3",
    "application/pdf": ".pdf",
    "application/json": ".json",
    "application/gzip": ".gz",
  };
  return known[mime] ?? ".bin";
}
