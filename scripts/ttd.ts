/** `npm run ttd`: synthesizes the app once (nag packs on) and prints each critical alarm's worst-case time to detect. */
import { ENVIRONMENT_NAMES } from '../lib/config';
import { printTimeToDetect } from './lib/time-to-detect-table';
import { synthesizedAssembly } from './lib/synthesized';

printTimeToDetect(synthesizedAssembly(), ENVIRONMENT_NAMES);
