/**
 * docs/bench.md as one block per section, each stamped with when it ran and the machine's load then, so a run of
 * some sections (`--section`) refreshes those and keeps the others: a full run on a quiet machine is rare here.
 */
import { existsSync, readFileSync } from 'node:fs';

const SECTION_START = /^<!-- section (\S+): (.*) -->$/;

export interface SectionBlock {
  readonly name: string;
  /** When it ran and the load average then. */
  readonly stamp: string;
  readonly lines: readonly string[];
}

/** The sections a report file holds, by name; an older whole-run file (no section markers) holds none. */
export function readSections(file: string): Map<string, SectionBlock> {
  const blocks = new Map<string, SectionBlock>();
  if (!existsSync(file)) return blocks;
  let current: { name: string; stamp: string; lines: string[] } | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const start = SECTION_START.exec(line);
    if (start) {
      current = { name: start[1], stamp: start[2], lines: [] };
      blocks.set(current.name, current);
    } else if (current && line !== '```text' && line !== '```') current.lines.push(line);
  }
  for (const block of blocks.values()) while (block.lines.at(-1) === '') (block.lines as string[]).pop();
  return blocks;
}

/** The report: every section in `order` that has a block, new ones replacing stored ones of the same name. */
export function renderSections(
  order: readonly string[],
  stored: ReadonlyMap<string, SectionBlock>,
  fresh: readonly SectionBlock[],
): string {
  const blocks = new Map(stored);
  for (const block of fresh) blocks.set(block.name, block);
  const parts = order
    .filter((name) => blocks.has(name))
    .map((name) => {
      const block = blocks.get(name)!;
      return `<!-- section ${name}: ${block.stamp} -->\n\`\`\`text\n${block.lines.join('\n')}\n\`\`\`\n`;
    });
  const header =
    '# MiKO platform infrastructure benchmarks\n\nWritten by `npm run bench` one section at a time (`npm run bench -- --section <name>` ' +
    'refreshes one); each section says when it ran and the load average then. Rerun rather than edit.\n';
  return [header, ...parts].join('\n');
}
