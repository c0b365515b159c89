/**
 * Test helper: capture a rejection so its class and fields can be asserted one by one.
 */

/** Runs `promise` and returns what it rejected with (fails the test if it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the promise to reject, but it resolved.");
}
