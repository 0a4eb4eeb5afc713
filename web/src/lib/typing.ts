// WhatsApp's "typing…" indicator while the agent writes. Fire and forget: a call is never
// awaited by the composer, its failure is ignored, and it goes out at most once every
// TYPING_EVERY_MS per attention (the server throttles too), never for blank text.

export const TYPING_EVERY_MS = 20_000;

export class TypingThrottle {
  /** When the last indicator went out, per attention. */
  private readonly last = new Map<number, number>();

  constructor(
    private readonly send: (attentionId: number) => Promise<unknown>,
    private readonly everyMs = TYPING_EVERY_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The agent typed: `text` is what the box holds now. True when a call went out. */
  typed(attentionId: number, text: string): boolean {
    if (text.trim() === '') return false;
    const t = this.now();
    const prev = this.last.get(attentionId);
    if (prev !== undefined && t - prev < this.everyMs) return false;
    this.last.set(attentionId, t);
    try {
      void this.send(attentionId).catch(() => {
        /* cosmetic: the customer just does not see "typing…" */
      });
    } catch {
      /* same */
    }
    return true;
  }

  /** Forget every attention (sign-out). */
  clear(): void {
    this.last.clear();
  }
}
