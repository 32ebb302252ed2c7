/**
 * `npm run cfn-handler-permissions` in process: from a folder laid out as the unzipped CloudformationSchema.zip it
 * writes the handler permissions of every type the assembly deploys, with provenance; --check fails on a file out
 * of step; a type without a schema fails, named. The schemas here are written by the test from the committed file.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../scripts/cfn-handler-permissions';
import { HandlerPermissionsFile, readHandlerPermissions } from '../../scripts/permissions/cfn-handlers';
import { assemblyDir } from '../support/assembly';
import { testTempDir } from '../support/temp-dir';

const committed = readHandlerPermissions();
const COMMIT = '2915896675a28fa350b72cc3c9b27a9a1368c1bc';

/** A schema folder holding, for each type, what the committed file says its handlers need. */
function schemaFolder(): string {
  const dir = testTempDir('miko-cfn-schemas-');
  for (const [typeName, { schema, create, update, delete: del }] of Object.entries(committed.types)) {
    const handlers = { create: { permissions: create }, update: { permissions: update }, delete: { permissions: del } };
    writeFileSync(join(dir, schema), JSON.stringify({ typeName, handlers, properties: {} }));
  }
  writeFileSync(join(dir, 'aws-route53-recordset.json'), JSON.stringify({ typeName: 'AWS::Route53::RecordSet' }));
  return dir;
}

async function run(argv: string[], file: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [...argv, '--assembly', assemblyDir()],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    file,
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run cfn-handler-permissions', () => {
  it('writes the handler permissions and provenance of every deployed type, and --check finds it in step', async () => {
    const schemas = schemaFolder();
    const file = join(testTempDir('miko-cfn-data-'), 'data.json');
    const written = await run(['--schemas', schemas, '--source', `mirror at commit ${COMMIT}`], file);
    expect(written).toMatchObject({ code: 0, out: expect.stringMatching(/wrote .*: \d+ types with handlers/) });
    const data = JSON.parse(readFileSync(file, 'utf8')) as HandlerPermissionsFile;
    expect(data.types).toEqual(committed.types);
    expect(data.provenance).toEqual({
      schemas: committed.provenance.schemas,
      copy: `mirror at commit ${COMMIT}`,
      extracted: new Date().toISOString().slice(0, 10),
    });
    expect(data.withoutSchema['AWS::Route53::RecordSet']).toMatch(/declares no handlers/);
    expect(data.withoutSchema['Custom::MikoLiveRelease']).toMatch(/lambda:InvokeFunction/);
    expect(await run(['--schemas', schemas, '--check'], file)).toMatchObject({ code: 0 });
  });

  it('--check fails when the file lacks a deployed type, saying how to refresh it', async () => {
    const schemas = schemaFolder();
    const file = join(testTempDir('miko-cfn-data-'), 'data.json');
    const { 'AWS::SQS::Queue': _queue, ...types } = committed.types;
    writeFileSync(file, JSON.stringify({ ...committed, types }));
    const checked = await run(['--schemas', schemas, '--check'], file);
    expect(checked.code).toBe(1);
    expect(checked.err).toContain('Fix: run npm run cfn-handler-permissions -- --schemas <dir> --source <text>');
  });

  it('fails, naming the type, when the schemas lack one the stacks deploy', async () => {
    const schemas = schemaFolder();
    rmSync(join(schemas, committed.types['AWS::SQS::Queue'].schema));
    const file = join(testTempDir('miko-cfn-data-'), 'data.json');
    const result = await run(['--schemas', schemas, '--source', 'x'], file);
    expect(result.code).toBe(1);
    expect(result.err).toContain('no schema for AWS::SQS::Queue in the folder given');
  });

  it('refuses to run without --schemas, or to write without --source (exit 2)', async () => {
    const file = join(testTempDir('miko-cfn-data-'), 'data.json');
    expect(await run([], file)).toMatchObject({ code: 2, err: expect.stringContaining('--schemas is required') });
    expect(await run(['--schemas', schemaFolder()], file)).toMatchObject({
      code: 2,
      err: expect.stringContaining('--source is required'),
    });
  });
});
