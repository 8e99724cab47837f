/**
 * Numeric command-line options of the benchmarks: `--name VALUE`, a non-negative number, or `fallback`
 * when absent. A value that is not such a number stops the benchmark with a message.
 */
export function numberOption(name: string, fallback: number, argv = process.argv): number {
  const index = argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}
