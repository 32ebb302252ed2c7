/** Rotation function for the Supabase secret API key (Supabase Management API). */
import { currentValueReader, requiredEnv, rotationHandler } from '../handler';
import { supabaseSecretKeyRotator } from '../rotators/supabase-secret-key';

export const handler = rotationHandler('supabase-secret-key', (sm) =>
  supabaseSecretKeyRotator({
    managementApiUrl: requiredEnv('SUPABASE_MANAGEMENT_API_URL'),
    projectRef: requiredEnv('SUPABASE_PROJECT_REF'),
    projectUrl: requiredEnv('SUPABASE_PROJECT_URL'),
    managementToken: currentValueReader(sm, requiredEnv('MANAGEMENT_TOKEN_SECRET_ID')),
  }),
);
