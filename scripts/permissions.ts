/**
 * The permission matrix of a synthesized assembly: every catalogued runtime path allowed, every forbidden path
 * denied, every statement used, every wildcard explained. A kept IAM engine judges the templates, never the loaded
 * app, so a hand-edited copy is judged as it stands. Exit 1 names each problem with the statement to add or remove.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config/schema';
import { Io, optionalEnvironmentFlag, processIo, runCommand, runIfMain } from './lib/command';
import { readFreshAssembly } from './lib/read-assembly';
import { loadCatalogue } from './permissions/catalogue';
import { Matrix, permissionMatrix } from './permissions/matrix';
import { permissionModel } from './permissions/model';
import { renderTerminal, updatedDocument } from './permissions/render';

const REPO_ROOT = join(__dirname, '..');
export const DEFAULT_DOC = join(REPO_ROOT, 'docs', 'permissions.md');

const USAGE = `usage: npm run permissions -- [--env <staging|production>] [--assembly <dir>] [--doc <file>|-]

Proves, offline, every permission the running system needs and none it must not have (docs/permissions.md).
  --env       one environment (default: both)
  --assembly  the synthesized assembly to read (default: cdk.out; run \`npm run synth\` first)
  --doc       where to write the matrix as Markdown (default: docs/permissions.md; - writes nothing)
Exit codes: 0 all proven; 1 a problem, named with its fix; 2 usage or an unreadable assembly.`;

const SPEC = {
  name: 'permissions',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    assembly: { type: 'string' as const },
    doc: { type: 'string' as const },
  },
};

/** The matrices of the environments, from an assembly folder. */
export async function permissionMatrices(assemblyDir: string, envs: readonly EnvironmentName[]): Promise<Matrix[]> {
  const catalogue = loadCatalogue();
  const matrices: Matrix[] = [];
  for (const env of envs) matrices.push(await permissionMatrix(permissionModel(assemblyDir, env), catalogue));
  return matrices;
}

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    const env = optionalEnvironmentFlag(values.env);
    return proveAndWrite({ ...(values as { assembly?: string; doc?: string }), env }, io);
  });
}

async function proveAndWrite(
  values: { env?: EnvironmentName; assembly?: string; doc?: string },
  io: Io,
): Promise<number> {
  const envs = values.env ? [values.env] : ENVIRONMENT_NAMES;
  const assemblyDir = values.assembly ?? join(REPO_ROOT, 'cdk.out');
  let matrices: Matrix[];
  try {
    // The default cdk.out must describe the code as it is now; a folder named on purpose is judged as it stands.
    if (values.assembly === undefined) readFreshAssembly(assemblyDir);
    matrices = await permissionMatrices(assemblyDir, envs);
  } catch (error) {
    // This command never synthesizes: the shared stale-assembly advice's alternative does not apply here.
    const message = (error as Error).message.replace(/ \(or drop --assembly[^)]*\)/, '');
    io.err(`permissions: cannot read ${assemblyDir}: ${message}`);
    return 2;
  }
  for (const matrix of matrices) renderTerminal(matrix).forEach((line) => io.out(line));
  const doc = values.doc ?? DEFAULT_DOC;
  if (doc !== '-') {
    writeFileSync(
      doc,
      updatedDocument(existsSync(doc) ? readFileSync(doc, 'utf8') : undefined, matrices, ENVIRONMENT_NAMES),
    );
    io.out(`wrote ${doc}`);
  }
  return matrices.some((m) => m.failures.length > 0) ? 1 : 0;
}

runIfMain(module, main);
