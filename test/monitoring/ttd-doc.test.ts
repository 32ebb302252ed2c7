/** docs/ttd.md is what `npm run ttd` prints for the current templates (its first line, the date, aside). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printReport } from '../../scripts/ttd';
import { assemblyDir } from '../support/assembly';

const TTD_FILE = join(__dirname, '..', '..', 'docs', 'ttd.md');

it('docs/ttd.md is the time-to-detect report of the current templates', () => {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    printReport(assemblyDir());
  } finally {
    log.mockRestore();
  }
  const body = readFileSync(TTD_FILE, 'utf8').split('\n').slice(2).join('\n');
  // Fix when this fails: npm run synth && npm run ttd -- --assembly cdk.out
  expect(body).toBe(`\`\`\`text\n${lines.join('\n')}\n\`\`\`\n`);
  expect(body).toContain('canary throws on load → weight 0 (verify --canary');
});
