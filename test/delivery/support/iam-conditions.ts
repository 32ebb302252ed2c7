/**
 * Evaluates an IAM policy statement's Condition block against a request's context keys, for the operators our
 * trust policies use: StringEquals and StringLike (`*` any run of characters, `?` exactly one), case-sensitive.
 * IAM's rules: every operator block must hold; within one, every key must hold; a key holds when ANY of its values
 * matches; a key the request lacks never holds. Any other operator throws, so a policy using one cannot pass a test
 * this evaluator does not understand.
 */
export type ConditionBlock = Record<string, Record<string, string | string[]>>;

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** IAM's StringLike: `*` and `?` are wildcards, everything else (regex metacharacters included) is literal. */
export function stringLike(pattern: string, value: string): boolean {
  const regex = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`, 's').test(value);
}

const OPERATORS: Record<string, (expected: string, actual: string) => boolean> = {
  StringEquals: (expected, actual) => expected === actual,
  StringLike: stringLike,
};

export function conditionHolds(condition: ConditionBlock | undefined, context: Record<string, string>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    const compare = OPERATORS[operator];
    if (!compare)
      throw new Error(
        `the evaluator does not know the IAM condition operator ${operator}; add it to test/delivery/support/iam-conditions.ts`,
      );
    return Object.entries(keys).every(
      ([key, values]) => key in context && asList(values).some((expected) => compare(expected, context[key])),
    );
  });
}
