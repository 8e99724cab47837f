/**
 * Whether this page can talk to Sage: it needs the per-launch token (see ui/public/boot.js). Without
 * one, or once the server refuses it (Sage restarted with a new token), the app shows how to get back
 * in instead of failing call by call.
 */
import { createSignal } from "solid-js";
import { host } from "./env.ts";

const [refused, setRefused] = createSignal(false);

/** True when the page has no token, or the server said the one it has is wrong. */
export const signedOut = (): boolean => !host.token || refused();

/** The server answered 401 unauthorized: the token is not (or no longer) this Sage's. */
export function tokenRefused(): void {
  setRefused(true);
}
