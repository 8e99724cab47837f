/**
 * A TCP port on 127.0.0.1 that was free a moment ago (the scripts start Sage with `--port` so that no
 * output parsing sits on a measured path). Another process could take it in between; the scripts
 * then fail loudly at start-up, which is fine for a benchmark or a build step.
 */
export function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}
