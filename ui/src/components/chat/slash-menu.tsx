/** The slash-command menu above the message box: commands matching what was typed, the selected one marked. */
import { For, Show } from "solid-js";
import type { SlashCommand } from "./slash-commands.ts";

export function SlashMenu(props: {
  commands: SlashCommand[];
  selected: number;
  onPick(command: SlashCommand): void;
}) {
  return (
    <Show when={props.commands.length > 0}>
      <div
        class="absolute bottom-full left-0 mb-2 w-full max-w-md card bg-bg shadow-lg m-0 p-1 z-20"
        role="listbox"
        data-testid="slash-menu"
      >
        <For each={props.commands}>
          {(command, index) => (
            <div>
              <button
                type="button"
                role="option"
                aria-selected={index() === props.selected}
                // One background class only: with both, the stylesheet's order (not this one) decides.
                class={`w-full text-left border-0 rounded-md px-2 py-1.5 text-sm ${index() === props.selected ? "bg-raised" : "bg-transparent"}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  props.onPick(command);
                }}
              >
                <span class="font-mono text-accent">/{command.name}</span>{" "}
                <span class="text-muted text-xs">{command.description}</span>
              </button>
            </div>
          )}
        </For>
      </div>
    </Show>
  );
}
