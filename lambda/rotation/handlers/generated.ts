/** Rotation function for a generated secret (a random value from GetRandomPassword). */
import { rotationHandler } from '../handler';
import { generatedRotator } from '../rotators/generated';

export const handler = rotationHandler('generated', (sm) => generatedRotator(sm));
