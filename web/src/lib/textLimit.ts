// WhatsApp's 4,096-character limit on a text, as the composer shows it while the agent types.
// Counted in code points, as the server counts (Python's len), after trimming, as it is sent.

export const MAX_TEXT = 4096;
/** The counter shows from here on: far from the limit it is only noise. */
export const COUNTER_FROM = 3800;

export interface TextCount {
  length: number;
  /** Show the counter. */
  near: boolean;
  /** Longer than WhatsApp takes: sending is refused here. */
  over: boolean;
}

export function countText(text: string): TextCount {
  const length = [...text.trim()].length;
  return { length, near: length >= COUNTER_FROM, over: length > MAX_TEXT };
}
