/**
 * Seeded fault injection: each request the profile covers draws once from the profile's own
 * random stream, so a seed replays the same faults in the same order.
 */
import type { OperationName } from '../contract/types.ts';
import { createRng } from './model/rng.ts';
import type { Rng } from './model/rng.ts';
import type { ResolvedMockOptions } from './options.ts';

/**
 * The fault drawn for one request.
 * - `none`: answer normally (after `latencyMs`);
 * - `drop`: close the connection without an answer;
 * - `throttle`: `ThrottlingException`, HTTP 400 (contract notes §5.2);
 * - `server-error`: `KMSInternalException`, HTTP 500 (M1 httpError).
 */
export type FaultDraw =
  | { readonly kind: 'none'; readonly latencyMs: number }
  | { readonly kind: 'drop'; readonly latencyMs: number }
  | { readonly kind: 'throttle'; readonly latencyMs: number }
  | { readonly kind: 'server-error'; readonly latencyMs: number };

/** Draws faults from a resolved profile. */
export class FaultInjector {
  private rng: Rng;
  private readonly profile: ResolvedMockOptions['faults'];
  private readonly ops: ReadonlySet<OperationName>;

  constructor(profile: ResolvedMockOptions['faults']) {
    this.profile = profile;
    this.ops = new Set(profile.operations);
    this.rng = createRng(profile.seed, 3);
  }

  /** Whether the profile injects anything at all. */
  get active(): boolean {
    const p = this.profile;
    return p.dropRate > 0 || p.throttleRate > 0 || p.serverErrorRate > 0 || (p.latencyMs !== undefined && p.latencyMs[1] > 0);
  }

  /** Restarts the fault stream from its seed. */
  reset(): void {
    this.rng = createRng(this.profile.seed, 3);
  }

  /** The fault for the next request of `operation`. */
  draw(operation: OperationName): FaultDraw {
    if (!this.active || !this.ops.has(operation)) return { kind: 'none', latencyMs: 0 };
    const p = this.profile;
    const roll = this.rng.next();
    const latency = this.rng.next();
    const latencyMs = p.latencyMs === undefined ? 0 : Math.round(p.latencyMs[0] + latency * (p.latencyMs[1] - p.latencyMs[0]));
    if (roll < p.dropRate) return { kind: 'drop', latencyMs };
    if (roll < p.dropRate + p.throttleRate) return { kind: 'throttle', latencyMs };
    if (roll < p.dropRate + p.throttleRate + p.serverErrorRate) return { kind: 'server-error', latencyMs };
    return { kind: 'none', latencyMs };
  }
}
