/**
 * The output of a measuring command (`npm run cost`, `ttd`, `bench`) is also written to a file under docs/, which
 * the README links instead of pasting numbers that would drift: every figure there comes from the last run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');

/** Runs `produce`, printing its console.log lines as usual, and returns them. */
export async function captureLines(produce: () => void | Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
    log(...args);
  };
  try {
    await produce();
  } finally {
    console.log = log;
  }
  return lines;
}

/** Runs `produce`, printing its console.log lines as usual, and writes them to `docs/<name>.md` too. */
export async function withReportFile(
  name: string,
  command: string,
  produce: () => void | Promise<void>,
): Promise<void> {
  const lines = await captureLines(produce);
  const file = join(REPO_ROOT, 'docs', `${name}.md`);
  mkdirSync(dirname(file), { recursive: true });
  const header = `<!-- Written by \`${command}\` on ${new Date().toISOString()}; rerun it rather than editing this file. -->\n\n`;
  writeFileSync(file, `${header}\`\`\`text\n${lines.join('\n')}\n\`\`\`\n`);
}
