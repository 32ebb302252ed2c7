/**
 * `npm run backup-image -- [--tag <tag>]`: bundles the job (jobs/backups/main.ts, AWS SDK and pg included) into
 * lib/backups/image/dist/main.js and prints the docker commands that build and push the task image to the
 * environment's ECR repository (lib/backups/image-repository.ts). The deploy workflow runs the same commands
 * between the Data and the Backups deploys and passes the digest to the Backups stack; nothing here needs Docker.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { parseFlags } from './lib/flags';

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

if (require.main === module) {
  const flags = parseFlags(process.argv.slice(2), { tag: 'value' });
  const file = bundleJob();
  const tag = (flags.tag as string | undefined) ?? 'release-<release id>';
  console.log(
    `bundled ${file}\n\nthen, with the environment's credentials (account from lib/config/environments/<env>.ts):`,
  );
  console.log(`  repo=<account>.dkr.ecr.us-east-1.amazonaws.com/miko-<env>-backup-images`);
  console.log(`  aws ecr get-login-password | docker login --username AWS --password-stdin "\${repo%%/*}"`);
  console.log(`  docker buildx build --platform linux/arm64 --provenance=false -t "$repo:${tag}" --push ${IMAGE_DIR}`);
  console.log(
    `  digest=$(aws ecr describe-images --repository-name "\${repo#*/}" --image-ids imageTag=${tag} --query 'imageDetails[0].imageDigest' --output text)`,
  );
  console.log(`and deploy with --parameters "<Stage>-Backups:BackupImageDigest=$digest" (tags are immutable).`);
}
