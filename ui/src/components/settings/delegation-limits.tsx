/**
 * Settings → Agents: the agent's delegation limits (how deep its sub-agents may go, how many one turn may
 * start). Empty means the default (shown as the placeholder); the form validates the range with the
 * agent's schema (src/shared/agent.ts), the server again on save.
 */
import {
  DELEGATION_DEPTH_CEILING,
  DELEGATIONS_PER_TURN_CEILING,
  MAX_DELEGATION_DEPTH,
  MAX_DELEGATIONS_PER_TURN,
} from "../../../../src/shared/delegation.ts";
import { t } from "../../i18n/index.ts";
import { Field, inputProps } from "./field.tsx";

/** The text of an optional whole-number field: empty is absent (the default), anything else a number. */
export function optionalNumber(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

export function DelegationLimits(props: {
  depth: string;
  perTurn: string;
  onDepth(text: string): void;
  onPerTurn(text: string): void;
  error(field: "delegationDepth" | "delegationsPerTurn"): string | undefined;
}) {
  return (
    <div class="grid gap-4 sm:grid-cols-2">
      <Field
        id="agent-delegation-depth"
        label={t("settings.agent.delegationDepth")}
        hint={t("settings.agent.delegationDepthHint", { default: MAX_DELEGATION_DEPTH })}
        error={props.error("delegationDepth")}
      >
        <input
          {...inputProps("agent-delegation-depth", props.error("delegationDepth"))}
          class="input"
          type="number"
          min="1"
          max={DELEGATION_DEPTH_CEILING}
          step="1"
          placeholder={String(MAX_DELEGATION_DEPTH)}
          value={props.depth}
          onInput={(event) => props.onDepth(event.currentTarget.value)}
          data-testid="agent-delegation-depth"
        />
      </Field>
      <Field
        id="agent-delegations-per-turn"
        label={t("settings.agent.delegationsPerTurn")}
        hint={t("settings.agent.delegationsPerTurnHint", { default: MAX_DELEGATIONS_PER_TURN })}
        error={props.error("delegationsPerTurn")}
      >
        <input
          {...inputProps("agent-delegations-per-turn", props.error("delegationsPerTurn"))}
          class="input"
          type="number"
          min="1"
          max={DELEGATIONS_PER_TURN_CEILING}
          step="1"
          placeholder={String(MAX_DELEGATIONS_PER_TURN)}
          value={props.perTurn}
          onInput={(event) => props.onPerTurn(event.currentTarget.value)}
          data-testid="agent-delegations-per-turn"
        />
      </Field>
    </div>
  );
}
