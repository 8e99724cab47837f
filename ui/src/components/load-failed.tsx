/** A page's data could not be loaded: what went wrong, and Retry. */
import { t } from "../i18n/index.ts";

export function LoadFailed(props: { message: string; onRetry(): void }) {
  return (
    <div role="alert" class="flex flex-col gap-2 items-start">
      <p class="m-0 text-danger">{props.message}</p>
      <button type="button" class="btn-ghost" onClick={() => props.onRetry()}>
        {t("common.retry")}
      </button>
    </div>
  );
}
