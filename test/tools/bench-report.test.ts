import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSections, renderSections } from '../../bench/report';

const ORDER = ['synth', 'tests', 'mutation'];
const block = (name: string, stamp: string, ...lines: string[]) => ({ name, stamp, lines });

function roundTrip(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-report-')), 'bench.md');
  writeFileSync(file, text);
  return readSections(file);
}

describe('docs/bench.md, one block per section', () => {
  it('a partial run replaces its own section and keeps the others with their stamps', () => {
    const first = renderSections(ORDER, new Map(), [
      block('synth', 'monday, load 1', '## Synth', 'full app  3.9 s'),
      block('mutation', 'monday, load 1', '## Mutation', 'rotation  88 %'),
    ]);
    const second = renderSections(ORDER, roundTrip(first), [
      block('synth', 'tuesday, load 2', '## Synth', 'full app  3.1 s'),
    ]);
    const sections = roundTrip(second);
    expect([...sections.keys()]).toEqual(['synth', 'mutation']);
    expect(sections.get('synth')).toEqual(block('synth', 'tuesday, load 2', '## Synth', 'full app  3.1 s'));
    expect(sections.get('mutation')).toEqual(block('mutation', 'monday, load 1', '## Mutation', 'rotation  88 %'));
  });

  it('writes sections in the bench order, whatever order they ran in', () => {
    const text = renderSections(ORDER, new Map(), [block('mutation', 's', 'm'), block('synth', 's', 'x')]);
    expect(text.indexOf('section synth:')).toBeLessThan(text.indexOf('section mutation:'));
  });

  it('reads a file from before sections (one whole-run block) as holding none, so nothing stale is kept', () => {
    expect(roundTrip('<!-- Written by `npm run bench` on 2026-12-02 -->\n\n```text\n## Synth\n```\n').size).toBe(0);
  });
});
