/**
 * The AWS SDK sleeps a random share ("full jitter") of its backoff cap before each retry. Pinning that share near 0
 * keeps every retry a test counts and drops seconds of sleep; the code under test reads no other Math.random.
 */
export async function withLowRetryJitter<T>(run: () => Promise<T>): Promise<T> {
  const random = jest.spyOn(Math, 'random').mockReturnValue(0.001);
  try {
    return await run();
  } finally {
    random.mockRestore();
  }
}
