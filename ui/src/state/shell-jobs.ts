/**
 * Background shell jobs in the UI: the jobs view's open state (which session, which job to show
 * first), which sessions have jobs (so the chat header offers the view), and the calls to the jobs API
 * (src/shared/shell-jobs.ts). Jobs live in the server's memory: a session learns it has some from one
 * list request when its chat opens, or at once when a background shell card appears.
 */
import { createSignal } from "solid-js";
import { createStore } from "solid-js/store";
import type { ShellJobInfo, ShellJobOutputTail } from "../../../src/shared/shell-jobs.ts";
import { call } from "../lib/api-client.ts";

const [view, setView] = createSignal<{ sessionId: string; jobId?: string }>();
const [withJobs, setWithJobs] = createStore<Record<string, boolean>>({});
const asked = new Set<string>();

/** The open jobs view, if any. */
export const jobsView = view;

export function openJobsView(sessionId: string, jobId?: string): void {
  setView({ sessionId, ...(jobId ? { jobId } : {}) });
}

export function closeJobsView(): void {
  setView(undefined);
}

/** Whether the session has (or had, since Sage started) background jobs; asks the server once. */
export function sessionHasJobs(sessionId: string): boolean {
  if (!asked.has(sessionId)) {
    asked.add(sessionId);
    listJobs(sessionId).then(
      (jobs) => jobs.length > 0 && setWithJobs(sessionId, true),
      () => {},
    );
  }
  return withJobs[sessionId] === true;
}

/** A background shell card is on screen: the session has a job. */
export function noteJob(sessionId: string): void {
  if (!withJobs[sessionId]) setWithJobs(sessionId, true);
}

export async function listJobs(sessionId: string): Promise<ShellJobInfo[]> {
  return (await call("GET /api/sessions/:id/jobs", { params: { id: sessionId } })).jobs;
}

export function jobOutput(sessionId: string, jobId: string): Promise<ShellJobOutputTail> {
  return call("GET /api/sessions/:id/jobs/:jobId/output", { params: { id: sessionId, jobId } });
}

export async function killJob(sessionId: string, jobId: string): Promise<ShellJobInfo> {
  const result = await call("POST /api/sessions/:id/jobs/:jobId/kill", { params: { id: sessionId, jobId } });
  return result.job;
}
