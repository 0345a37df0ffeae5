/** Tries a deadlock's victim this many times in all. */
export const DEADLOCK_ATTEMPTS = 5;

/**
 * Runs `work`, and again when the server picked it as the victim of a deadlock (SQLSTATE 40P01),
 * at most `DEADLOCK_ATTEMPTS` times in all. Only for work that is one transaction (one
 * round trip of statements, an implicit transaction), which the deadlock rolled back whole:
 * two sessions adding foreign keys between the same tables in turn lock them in turn.
 */
export async function retryingDeadlocks<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= DEADLOCK_ATTEMPTS) throw error;
      // Apart a moment, so that the other session's transaction gets through first.
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
