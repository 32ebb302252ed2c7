/**
 * How long ago a secret last got a new value: the last rotation, or for a secret a person rotates (no rotation
 * function), the last change; a secret never changed counts from its creation.
 */
export interface SecretDates {
  readonly LastRotatedDate?: Date;
  readonly LastChangedDate?: Date;
  readonly CreatedDate?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysSinceNewValue(dates: SecretDates, now: Date): number {
  const since = dates.LastRotatedDate ?? dates.LastChangedDate ?? dates.CreatedDate;
  if (!since) throw new Error('the secret has no rotation, change or creation date');
  return Math.max(0, (now.getTime() - since.getTime()) / DAY_MS);
}

/**
 * The secrets that need a person: those older than the threshold, and those whose age could not be read (a secret
 * nobody can describe is one nobody can see rotating).
 */
export function secretsNeedingAttention(
  ages: ReadonlyArray<{ readonly name: string; readonly days: number }>,
  undescribable: readonly string[],
  staleAfterDays: number,
): string[] {
  return [...ages.filter(({ days }) => days > staleAfterDays).map(({ name }) => name), ...undescribable];
}
