/**
 * Bundles the backup job (jobs/backups/main.ts, AWS SDK and pg included) and prints the docker commands that push
 * the task image to the environment's ECR repository. The deploy workflow runs them between the Data and Backups
 * deploys and passes the digest on; nothing here needs Docker.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { Io, runCommand, runIfMain } from './lib/command';

export const IMAGE_DIR = join(__dirname, '..', 'lib', 'backups', 'image');

export function bundleJob(outfile = join(IMAGE_DIR, 'dist', 'main.js')): string {
  mkdirSync(join(outfile, '..'), { recursive: true });
  buildSync({
    entryPoints: [join(__dirname, '..', 'jobs', 'backups', 'main.ts')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    logLevel: 'error',
    // pg's optional native binding is never used (the pure-JS client is).
    external: ['pg-native'],
  });
  return outfile;
}

const USAGE = `usage: npm run backup-image [-- --tag <tag>]
  Bundles the backup job into lib/backups/image/dist/main.js and prints the docker commands that build and push it.
Exit codes: 0 bundled; 1 the bundle failed; 2 usage.`;

export function main(argv: string[], io: Io): Promise<number> {
  const spec = { name: 'backup-image', usage: USAGE, options: { tag: { type: 'string' as const } } };
  return runCommand(spec, argv, io, (values) => {
    const file = bundleJob();
    const tag = (values.tag as string | undefined) ?? 'release-<release id>';
    io.out(
      `bundled ${file}\n\nthen, with the environment's credentials (account from lib/config/environments/<env>.ts):`,
    );
    io.out(`  repo=<account>.dkr.ecr.us-east-1.amazonaws.com/miko-<env>-backup-images`);
    io.out(`  aws ecr get-login-password | docker login --username AWS --password-stdin "\${repo%%/*}"`);
    io.out(`  docker buildx build --platform linux/arm64 --provenance=false -t "$repo:${tag}" --push ${IMAGE_DIR}`);
    io.out(
      `  digest=$(aws ecr describe-images --repository-name "\${repo#*/}" --image-ids imageTag=${tag} --query 'imageDetails[0].imageDigest' --output text)`,
    );
    io.out(`and deploy with --parameters "<Stage>-Backups:BackupImageDigest=$digest" (tags are immutable).`);
    return 0;
  });
}

runIfMain(module, main);
