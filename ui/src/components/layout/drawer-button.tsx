/**
 * The menu button that opens the sidebar drawer on narrow windows (see state/drawer.ts). Pages put it
 * first in their header; on wide windows it renders nothing.
 */
import { Show } from "solid-js";
import { t } from "../../i18n/index.ts";
import { drawer, openDrawer } from "../../state/drawer.ts";
import { MenuIcon } from "../icons.tsx";

export function DrawerButton(props: { class?: string }) {
  return (
    <Show when={drawer.narrow()}>
      <button
        type="button"
        class={`icon-btn shrink-0 ${props.class ?? ""}`}
        aria-label={t("nav.openMenu")}
        title={t("nav.openMenu")}
        aria-haspopup="dialog"
        aria-expanded={drawer.open()}
        aria-controls="sidebar"
        onClick={(event) => openDrawer(event.currentTarget)}
        data-testid="drawer-button"
      >
        <MenuIcon />
      </button>
    </Show>
  );
}
