/** Small measuring helpers shared by the benchmark sections. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Wall time of a command in seconds; throws with its output when it fails, so a broken bench never prints a number. */
export function timeCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  return measureCommand(command, args, env).wallSeconds;
}

/**
 * CPU seconds (user and system) of this process's children that have ended and been waited for, from /proc: a
 * command's own and that of every process it waited for, as the CLI waits for the app it synthesizes.
 */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ');
  // cutime and cstime: fields 16 and 17 of proc(5), here counted from the state (field 3), in ticks of 1/100 s.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Wall time and CPU time of a command; throws with its output when it fails. */
export function measureCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { wallSeconds: number; cpuSeconds: number } {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, encoding: 'utf8' });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return { wallSeconds, cpuSeconds: childrenCpuSeconds() - cpuBefore };
}

export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(`\n## ${title}\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  rows.forEach((r) => console.log(line(r)));
}
