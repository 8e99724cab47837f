/**
 * What closing the window does travels from the worker to the window thread through shared memory
 * (src/shell/worker-channel.ts): quit, hide into the tray, or ask first. A fresh status, or a value
 * written by something else, reads as quit, so a confused window always closes.
 */
import { describe, expect, test } from "bun:test";
import { SharedStatus } from "../../src/shell/worker-channel.ts";

describe("SharedStatus.closeAction", () => {
  test("a fresh status quits", () => {
    expect(new SharedStatus().closeAction).toBe("quit");
  });

  test("each action written by the worker is read by the window thread", () => {
    const worker = new SharedStatus();
    const window = new SharedStatus(worker.buffer);
    for (const action of ["ask", "hide", "quit", "ask"] as const) {
      worker.closeAction = action;
      expect(window.closeAction).toBe(action);
    }
  });

  test("an unknown value reads as quit", () => {
    const status = new SharedStatus();
    new Float64Array(status.buffer)[4] = 7;
    expect(status.closeAction).toBe("quit");
    new Float64Array(status.buffer)[4] = Number.NaN;
    expect(status.closeAction).toBe("quit");
  });

  test("the other fields are not disturbed", () => {
    const status = new SharedStatus();
    status.trayShown = true;
    status.port = 4321;
    status.closeAction = "hide";
    expect(status.trayShown).toBe(true);
    expect(status.port).toBe(4321);
  });
});
