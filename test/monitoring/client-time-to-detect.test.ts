/** The browser-error detection model over the synthesized templates: every path within the 60 s target. */
import { clientTimeToDetect } from '../../tools/analysis/client-time-to-detect';
import { template } from '../support/assembly';

it('detects a new error kind and an error spike within 60 s worst case', () => {
  const rows = clientTimeToDetect(
    template('Production', 'Monitoring').toJSON() as any,
    template('Production', 'Telemetry').toJSON() as any,
  );
  expect(rows.map((r) => r.seconds)).toEqual([7.6, 31, 41]);
  for (const row of rows) expect(row.seconds).toBeLessThanOrEqual(60);
});
