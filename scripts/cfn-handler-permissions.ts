/**
 * Writes the permissions CloudFormation's handlers need for each resource type deployed through the bootstrap
 * execution role, from its published resource schemas; test/delivery/bootstrap-handler-coverage.test.ts checks
 * the execution policy against them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Io, runCommand, runIfMain, UsageError } from './lib/command';
import {
  executionRoleStacks,
  HANDLER_PERMISSIONS_FILE,
  handlerPermissions,
  readSchemas,
  resourceTypes,
  SCHEMA_SOURCE,
} from './permissions/cfn-handlers';

const REPO_ROOT = join(__dirname, '..');

const USAGE = `usage: npm run cfn-handler-permissions -- --schemas <dir> --source <text> [--assembly <dir>] [--check]

Writes tools/permissions/cfn-handler-permissions.json: for each resource type the stacks deploy, the permissions
CloudFormation's create, update and delete handlers need, from its published resource schemas.
  --schemas   the unzipped CloudformationSchema.zip (one aws-<service>-<type>.json per type)
  --source    where that copy came from, kept as provenance (e.g. "CloudformationSchema.zip, 2026-12-07")
  --assembly  the synthesized assembly whose types to list (default: cdk.out; run \`npm run synth\` first)
  --check     write nothing; fail when the committed file lists other types or permissions
Exit codes: 0 written (or in step); 1 a type has no schema, or --check found the file out of step; 2 usage.`;

const SPEC = {
  name: 'cfn-handler-permissions',
  usage: USAGE,
  options: {
    schemas: { type: 'string' as const },
    source: { type: 'string' as const },
    assembly: { type: 'string' as const },
    check: { type: 'boolean' as const },
  },
};

export function main(argv: string[], io: Io, file = HANDLER_PERMISSIONS_FILE): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    const schemasDir = values.schemas as string | undefined;
    const source = values.source as string | undefined;
    if (!schemasDir)
      throw new UsageError('--schemas is required. Fix: unzip CloudformationSchema.zip and name the folder.');
    if (!source && !values.check)
      throw new UsageError('--source is required: the data file records where its schemas came from.');
    const assemblyDir = (values.assembly as string | undefined) ?? join(REPO_ROOT, 'cdk.out');
    const types = resourceTypes(executionRoleStacks(assemblyDir));
    const schemas = readSchemas(schemasDir);
    if (values.check) {
      const committed = JSON.parse(readFileSync(file, 'utf8'));
      const expected = handlerPermissions(types, schemas, committed.provenance);
      if (JSON.stringify(expected) === JSON.stringify(committed)) {
        io.out(`cfn-handler-permissions: ${file} is in step (${types.length} types)`);
        return 0;
      }
      io.err(
        `cfn-handler-permissions: ${file} is out of step with ${assemblyDir} and ${schemasDir}. Fix: run npm run cfn-handler-permissions -- --schemas <dir> --source <text>.`,
      );
      return 1;
    }
    const extracted = new Date().toISOString().slice(0, 10);
    const data = handlerPermissions(types, schemas, { schemas: SCHEMA_SOURCE, copy: source!, extracted });
    writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
    io.out(
      `cfn-handler-permissions: wrote ${file}: ${Object.keys(data.types).length} types with handlers, ${Object.keys(data.withoutSchema).length} without`,
    );
    return 0;
  });
}

runIfMain(module, main);
