/**
 * The commands a runbook rehearses: the lines of its fenced blocks whose info string is `sh gameday`, so the text
 * an on-call engineer reads is what the game day runs. A line ending in `\` continues on the next; comments and
 * blank lines are skipped.
 */
import { readFileSync } from 'node:fs';

const BLOCK = /^```sh gameday[ \t]*\n([\s\S]*?)^```/gm;

export function runbookCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(BLOCK)) {
    let pending = '';
    for (const raw of block[1].split('\n')) {
      const line = raw.trim();
      if (!pending && (line === '' || line.startsWith('#'))) continue;
      if (line.endsWith('\\')) {
        pending += `${line.slice(0, -1).trimEnd()} `;
        continue;
      }
      commands.push(`${pending}${line}`.trim());
      pending = '';
    }
  }
  return commands;
}

export function runbookCommandsOf(path: string): string[] {
  const commands = runbookCommands(readFileSync(path, 'utf8'));
  if (commands.length === 0)
    throw new Error(`${path} has no \`\`\`sh gameday block. Fix: put the runbook's first commands in one.`);
  return commands;
}
