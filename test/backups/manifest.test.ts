/**
 * The manifest in process: where a backup's objects and a drill's report live, the run id a key orders by, and
 * what a manifest read back from the vault must hold before a restore trusts it (each refusal names the field).
 */
import {
  backupsPrefix,
  drillReportKey,
  drillsPrefix,
  manifestKey,
  MANIFEST_FORMAT,
  parseManifest,
  runIdFor,
  runIdOf,
  runPrefix,
} from '../../jobs/backups/manifest';

const KEY = 'backups/staging/2026-12-01T03-15-07-123Z/manifest.json';
const SHA = 'a'.repeat(64);
const valid = {
  format: MANIFEST_FORMAT,
  runId: '2026-12-01T03-15-07-123Z',
  objects: [{ part: 'data', key: 'backups/staging/x/data.dump', bytes: 10, sha256: SHA, format: 'custom' }],
  tables: [{ schema: 'public', table: 'leads', rows: 3, checksum: '42' }],
};
const parsed = (value: unknown) => parseManifest(JSON.stringify(value), KEY);
const refusal = (field: string) =>
  `${KEY}: "${field}" is missing or malformed, so this backup cannot be verified. Fix: restore an older backup (--backup <key>).`;

test('keys: a run under its own prefix, its manifest last, drills beside the backups', () => {
  expect(backupsPrefix('staging')).toBe('backups/staging/');
  expect(runPrefix('staging', 'r1')).toBe('backups/staging/r1/');
  expect(manifestKey('production', 'r1')).toBe('backups/production/r1/manifest.json');
  expect(drillsPrefix('staging')).toBe('drills/staging/');
  expect(drillReportKey('staging', new Date('2026-12-06T04:00:01.5Z'))).toBe(
    'drills/staging/2026-12-06T04-00-01-500Z.json',
  );
});

test('a run id is the start time, sortable and safe in a key; a key gives its run id back', () => {
  const runId = runIdFor(new Date('2026-12-01T03:15:07.123Z'));
  expect(runId).toBe('2026-12-01T03-15-07-123Z');
  expect(runIdOf(manifestKey('staging', runId))).toBe(runId);
  expect(runIdOf('manifest.json')).toBe('');
  expect(runIdFor(new Date('2026-12-01T10:00:00Z')) > runIdFor(new Date('2026-12-01T09:59:59.999Z'))).toBe(true);
});

test('a complete manifest is read as it was written', () => {
  expect(parsed(valid)).toEqual(valid);
  expect(parsed({ ...valid, tables: [] })).toEqual({ ...valid, tables: [] });
});

test('a manifest stored by an earlier release, as text, still reads: the format name is what the vault holds', () => {
  const stored = JSON.stringify({ ...valid, format: 'miko-backup/1' });
  expect(parseManifest(stored, KEY)).toMatchObject({ format: 'miko-backup/1', runId: '2026-12-01T03-15-07-123Z' });
});

test('a damaged manifest is refused with its key and the fix', () => {
  expect(() => parseManifest('{"format":', KEY)).toThrow(
    `${KEY} is not JSON: the manifest is damaged. Fix: restore an older backup (--backup <key>).`,
  );
});

test.each([
  ['format', null],
  ['format', { ...valid, format: 'miko-backup/2' }],
  ['runId', { ...valid, runId: 7 }],
  ['objects', { ...valid, objects: undefined }],
  ['objects', { ...valid, objects: [] }],
  ['objects', { ...valid, objects: {} }],
  ['objects[].key/sha256/bytes', { ...valid, objects: [{ ...valid.objects[0], key: 1 }] }],
  ['objects[].key/sha256/bytes', { ...valid, objects: [{ ...valid.objects[0], sha256: SHA.toUpperCase() }] }],
  ['objects[].key/sha256/bytes', { ...valid, objects: [{ ...valid.objects[0], sha256: `${SHA}0` }] }],
  ['objects[].key/sha256/bytes', { ...valid, objects: [{ ...valid.objects[0], sha256: `x${SHA.slice(1)}` }] }],
  ['objects[].key/sha256/bytes', { ...valid, objects: [valid.objects[0], { ...valid.objects[0], bytes: 1.5 }] }],
  ['tables', { ...valid, tables: undefined }],
  ['tables', { ...valid, tables: { leads: 3 } }],
  ['tables[]', { ...valid, tables: [{ ...valid.tables[0], schema: null }] }],
  ['tables[]', { ...valid, tables: [{ ...valid.tables[0], table: 5 }] }],
  ['tables[]', { ...valid, tables: [{ ...valid.tables[0], rows: '3' }] }],
  ['tables[]', { ...valid, tables: [valid.tables[0], { ...valid.tables[0], checksum: 42 }] }],
])('a manifest whose "%s" is wrong is refused, naming it', (field, value) => {
  expect(() => parsed(value)).toThrow(refusal(field));
});
