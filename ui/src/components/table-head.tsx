import { For } from "solid-js";

/**
 * The header row shared by the app's small data tables (audit log, remembered approvals, tool rules).
 * Each column is a label; `hidden: true` keeps the label for screen readers only (e.g. an actions column).
 * The last column drops the right padding so the table ends flush with its container.
 */
export interface TableColumn {
  label: string;
  hidden?: boolean;
}

export function TableHead(props: { columns: TableColumn[] }) {
  return (
    <thead>
      <tr class="text-left text-xs text-muted border-b border-line">
        <For each={props.columns}>
          {(column, index) => (
            <th
              scope="col"
              class="py-1.5 font-medium"
              classList={{ "pr-3": index() < props.columns.length - 1 }}
            >
              {column.hidden ? <span class="sr-only">{column.label}</span> : column.label}
            </th>
          )}
        </For>
      </tr>
    </thead>
  );
}
