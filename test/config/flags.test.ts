/** The flag declarations (lib/config/flags.ts) and the config's per-environment defaults name the same flags. */
import { committedConfig } from '../../lib/config';
import { FLAG_NAMES, flagDefaults } from '../../lib/config/flags';

it.each(Object.entries(committedConfig))(
  '%s: every default is a declared flag and every flag has a default',
  (_, c) => {
    expect(Object.keys(c.features).sort()).toEqual([...FLAG_NAMES].sort());
    expect(Object.keys(flagDefaults(c))).toEqual(FLAG_NAMES);
  },
);
