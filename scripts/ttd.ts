/** `npm run ttd`: synthesizes the app once (nag packs on) and prints each critical alarm's worst-case time to detect. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../lib/app';
import { loadAppConfig } from '../lib/config';
import { timeToDetect } from '../lib/monitoring/time-to-detect';
import { printTable } from '../bench/measure';

const outdir = mkdtempSync(join(tmpdir(), 'miko-ttd-'));
try {
  const assembly = buildApp(loadAppConfig(), { outdir }).app.synth();
  for (const nested of assembly.nestedAssemblies) {
    for (const stack of nested.nestedAssembly.stacks.filter((s) => s.stackName.endsWith('-Monitoring'))) {
      const rows = timeToDetect(stack.template);
      printTable(`Time to detect, worst case: ${stack.stackName}`, ['critical alarm', 'seconds', 'how'], rows.map((r) => [r.alarm, r.seconds.toFixed(0), r.how]));
    }
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
