/**
 * `ask_user`: ask the user one or more questions (single choice, multiple choice, free text) and wait.
 * The turn pauses until they answer or cancel; the question survives a window reload.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";

export const askUserParameters = T.Object({
  questions: T.Array(
    T.Object({
      id: T.String({ minLength: 1, maxLength: 64, description: "Key for this answer" }),
      prompt: T.String({ minLength: 1, maxLength: 2000 }),
      kind: T.Union([T.Literal("single"), T.Literal("multiple"), T.Literal("text")]),
      options: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 20 })),
    }),
    { minItems: 1, maxItems: 10 },
  ),
});

export const askUserTool = defineTool({
  name: "ask_user",
  description:
    "Ask the user questions and wait for the answers. Use it when a decision is genuinely theirs (preferences, " +
    "missing information, a choice between approaches), not to confirm routine steps. Kinds: single (one option), " +
    "multiple (any options), text (free answer). Give options for single and multiple.",
  parameters: askUserParameters,
  kind: "interaction",
  async execute(params, ctx) {
    const ids = new Set<string>();
    for (const question of params.questions) {
      if (ids.has(question.id)) throw new ToolError(`Question ids must be unique; "${question.id}" repeats.`);
      ids.add(question.id);
      if (question.kind !== "text" && !question.options?.length) {
        throw new ToolError(`Question "${question.id}" is ${question.kind} choice but has no options.`);
      }
    }
    const answers = await ctx.ask(params.questions);
    if (!answers)
      return { text: "The user dismissed the questions without answering.", details: { cancelled: true } };
    const lines = params.questions.map((q) => {
      const answer = answers[q.id];
      const text = Array.isArray(answer) ? answer.join(", ") : (answer ?? "(no answer)");
      return `${q.prompt}\n→ ${text || "(empty)"}`;
    });
    return { text: lines.join("\n\n"), details: { answers } };
  },
});
