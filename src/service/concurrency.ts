/**
 * Runs at most `limit` tasks at once; the rest wait in order. A finished task hands its slot
 * straight to the longest waiter, so a task arriving meanwhile cannot slip past the limit. No
 * async frame on the common path: a task that finds a free slot costs one `then`.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) {
      active--;
    } else {
      next();
    }
  };
  const run = <T>(task: () => Promise<T>): Promise<T> => {
    let result: Promise<T>;
    try {
      result = task();
    } catch (error) {
      release();
      // The task's own exception, whatever it is, becomes its rejection, as in an async function.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(error);
    }
    return result.then(
      (value) => {
        release();
        return value;
      },
      (error: unknown) => {
        release();
        throw error;
      },
    );
  };
  return <T>(task: () => Promise<T>): Promise<T> => {
    if (active < limit) {
      active++;
      return run(task);
    }
    return new Promise<void>((resolve) => waiting.push(resolve)).then(() => run(task));
  };
}
