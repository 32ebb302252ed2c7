/** A failed pg_restore's message keeps what failed and drops the row contents Postgres quotes (patient data). */
import { redactToolOutput } from '../../jobs/backups/pg-tools';

test('drops DETAIL/CONTEXT lines and the quoted row of a COPY error', () => {
  const stderr = [
    'pg_restore: error: COPY failed for table "leads": ERROR:  duplicate key value violates unique constraint "leads_pkey"',
    'DETAIL:  Key (email)=(jane.doe@example.com) already exists.',
    'CONTEXT:  COPY leads, line 7: "2b1c…\tJane Doe\tjane.doe@example.com\t+15550000007"',
    'pg_restore: detail: Key (email)=(jane.doe@example.com) already exists.',
    'invalid input syntax for type uuid: COPY leads, line 3: "Jane Doe"',
  ].join('\n');
  const redacted = redactToolOutput(stderr);
  expect(redacted).toContain('COPY failed for table "leads"');
  expect(redacted).toContain('COPY leads, line 3: [row redacted]');
  expect(redacted).not.toMatch(/jane|Jane|5550000007/);
});
