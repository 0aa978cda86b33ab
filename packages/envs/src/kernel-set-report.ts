/**
 * Whether a kernel lies in each agent's uncertainty set around the nominal kernel, row by row:
 * TV distance 0.5 * sum_s' |Q(s') - P*(s')| or KL(Q || P*) = sum_s' Q(s') log(Q(s') / P*(s'))
 * (infinite when Q puts mass outside supp P*) against rho_i(h, s).
 */
import type { Kernel, TabularGame } from '@drmg/core';

/** The row where a kernel is farthest outside an agent's set. */
export interface KernelSetViolation {
  readonly h: number;
  readonly s: number;
  readonly j: number;
  /** The row's divergence from the nominal row. */
  readonly distance: number;
  /** Agent's radius at (h, s). */
  readonly radius: number;
}

/** One agent's verdict. */
export interface AgentKernelReport {
  readonly agent: number;
  /** True iff every row is within the agent's radius (+1e-9). */
  readonly inside: boolean;
  /** How many rows are outside. */
  readonly rowsOutside: number;
  /** The row with the largest excess distance - radius, or null when inside. */
  readonly worst: KernelSetViolation | null;
}

/** The report of `kernelSetReport`. */
export interface KernelSetReport {
  readonly divergence: 'tv' | 'kl';
  /** True iff the kernel is inside every agent's set. */
  readonly inside: boolean;
  readonly agents: readonly AgentKernelReport[];
  /** The largest row divergence from the nominal kernel. */
  readonly maxDistance: number;
}

/** Tolerance of the membership test. */
export const SET_TOLERANCE = 1e-9;

/** Divergence of CSR row rq of `q` from row rp of `p` (both next-state sorted): TV or KL(q || p). */
export function rowDivergence(divergence: 'tv' | 'kl', q: Kernel, rq: number, p: Kernel, rp: number): number {
  let a = q.rowStart[rq];
  const aEnd = q.rowStart[rq + 1];
  let b = p.rowStart[rp];
  const bEnd = p.rowStart[rp + 1];
  let acc = 0;
  while (a < aEnd || b < bEnd) {
    const sa = a < aEnd ? q.next[a] : Number.MAX_SAFE_INTEGER;
    const sb = b < bEnd ? p.next[b] : Number.MAX_SAFE_INTEGER;
    let qa = 0;
    let pb = 0;
    if (sa <= sb) qa = q.prob[a++];
    if (sb <= sa) pb = p.prob[b++];
    if (divergence === 'tv') acc += Math.abs(qa - pb);
    else if (qa > 0) acc += pb > 0 ? qa * Math.log(qa / pb) : Infinity;
  }
  return divergence === 'tv' ? 0.5 * acc : Math.max(0, acc);
}

/**
 * Checks `kernel` against every agent's uncertainty set around `game`'s nominal kernel, the
 * agent-wise (s, a)-rectangular set of the paper's eq. 1 (row by row (h, s, j), radius rho_i(h, s));
 * a TV radius >= 1 admits every row.
 */
export function kernelSetReport(game: TabularGame, kernel: Kernel): KernelSetReport {
  const { S, H, J, m } = game;
  const rows = H * S * J;
  const dist = new Float64Array(rows);
  let maxDistance = 0;
  for (let r = 0; r < rows; r++) {
    dist[r] = rowDivergence(game.divergence, kernel, r, game.kernel, r);
    if (dist[r] > maxDistance) maxDistance = dist[r];
  }
  const agents: AgentKernelReport[] = [];
  for (let i = 0; i < m; i++) {
    let rowsOutside = 0;
    let worst: KernelSetViolation | null = null;
    let worstExcess = 0;
    for (let r = 0; r < rows; r++) {
      const j = r % J;
      const s = Math.floor(r / J) % S;
      const h = Math.floor(r / (J * S));
      const rho = game.radius[(i * H + h) * S + s];
      if (game.divergence === 'tv' && rho >= 1) continue;
      const excess = dist[r] - rho;
      if (excess > SET_TOLERANCE) {
        rowsOutside++;
        if (excess > worstExcess) {
          worstExcess = excess;
          worst = { h, s, j, distance: dist[r], radius: rho };
        }
      }
    }
    agents.push({ agent: i, inside: rowsOutside === 0, rowsOutside, worst });
  }
  return { divergence: game.divergence, inside: agents.every((a) => a.inside), agents, maxDistance };
}
