/** Child process of cached-assembly.ts: synthesizes the committed app (both environments, nag packs on) into argv[2]. */
import { synthesizeApp } from '../../scripts/lib/synthesized';

synthesizeApp(process.argv[2]);
