/**
 * Equilibrium solver timings: median microseconds per solve (after warm-up) of the dense-simplex CCE and CE at
 * 2 players 3x3, 5x5, 10x10 and 3 players 4x4x4 (random payoffs in [0, H], H = 10), Lemke-Howson at 5x5 and 10x10,
 * and HiGHS on the same 5x5 CCE for comparison. Targets (issue 3): 5x5 CCE < 50 us, 5x5 CE < 80 us median.
 * Run: npx tsx -e "import('./bench/equilibria.bench.ts').then(m => m.run())"
 */
import { createRng } from '../packages/core/src/index.ts';
import type { Rng } from '../packages/core/src/index.ts';
import {
  approximateNash,
  createCorrelatedSolver,
  createHighsCorrelatedSolver,
  createNormalFormGame,
  lemkeHowson,
} from '../packages/equilibria/src/index.ts';
import type { CorrelatedKind, NormalFormGame } from '../packages/equilibria/src/index.ts';
import type { Highs } from 'highs';

const H = 10;
const GAMES = 300;
const REPS = 5;

type Kind = 'random' | 'constant-sum' | 'near-zero-sum';

/**
 * Payoffs in [0, H]: independent ('random'); U_1 = H - U_0 ('constant-sum', two players); or, the LP's hardest case,
 * a zero-sum game plus 1e-6 noise (two players: defeats the constant-sum shortcut; three players: U_2 = H - U_0 - U_1).
 */
function randomPayoffs(rng: Rng, A: number[], kind: Kind): Float64Array {
  const m = A.length;
  const J = A.reduce((a, b) => a * b, 1);
  const U = new Float64Array(J * m);
  for (let j = 0; j < J; j++) {
    let sum = 0;
    for (let i = 0; i < m; i++) {
      const last = i === m - 1;
      const v = kind === 'random' || !last ? rng() * H : H - sum + (kind === 'near-zero-sum' ? 1e-6 * rng() : 0);
      U[j * m + i] = v;
      sum += v;
    }
  }
  return U;
}

interface Stats {
  median: number;
  p90: number;
}

/** Times f(k) for every game index k, REPS passes after one warm-up pass; per-call microseconds. */
function time(count: number, reps: number, f: (k: number) => void): Stats {
  for (let k = 0; k < count; k++) f(k);
  const us: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < count; k++) {
      const t0 = performance.now();
      f(k);
      us.push((performance.now() - t0) * 1000);
    }
  }
  us.sort((a, b) => a - b);
  return { median: us[us.length >> 1], p90: us[Math.floor(us.length * 0.9)] };
}

function line(label: string, s: Stats, extra = ''): void {
  console.log(`  ${label.padEnd(34)} median ${s.median.toFixed(1).padStart(8)} us   p90 ${s.p90.toFixed(1).padStart(8)} us${extra}`);
}

async function loadHighs(): Promise<Highs | undefined> {
  try {
    // 'highs' ships CommonJS typings but resolves to its ES module at run time: take whichever default is callable.
    const mod = (await import('highs')) as unknown as { default: (() => Promise<Highs>) | { default: () => Promise<Highs> } };
    return await (typeof mod.default === 'function' ? mod.default() : mod.default.default());
  } catch {
    return undefined;
  }
}

/** Prints the equilibrium benchmark figures. */
export async function run(): Promise<void> {
  const rng = createRng('equilibria-bench');
  console.log(`equilibria: median time per solve, ${GAMES} random games x ${REPS} passes, payoffs in [0, ${H}]`);
  const shapes = [[3, 3], [5, 5], [10, 10], [4, 4, 4]];
  const titles: Record<Kind, string> = {
    random: ' general-sum games, independent payoffs (dense dual simplex):',
    'constant-sum': ' constant-sum two-player games (minimax LP shortcut):',
    'near-zero-sum': ' near-zero-sum games (zero-sum + 1e-6 noise: every reduced cost ~0, the LP path\'s worst case):',
  };
  for (const gameKind of ['random', 'constant-sum', 'near-zero-sum'] as Kind[]) {
    console.log(titles[gameKind]);
    for (const kind of ['cce', 'ce'] as CorrelatedKind[]) {
      for (const A of shapes) {
        if (gameKind === 'constant-sum' && A.length !== 2) continue;
        const games = Array.from({ length: GAMES }, () => randomPayoffs(rng, A, gameKind));
        const solver = createCorrelatedSolver(A, kind);
        const out = new Float64Array(A.reduce((a, b) => a * b, 1));
        let pivots = 0;
        let worstGap = 0;
        let notOptimal = 0;
        for (const U of games) {
          const r = solver.solve(U, out);
          pivots += r.pivots;
          worstGap = Math.max(worstGap, r.gap);
          if (r.status !== 'optimal') notOptimal++;
        }
        const s = time(GAMES, REPS, (k) => solver.solve(games[k], out));
        line(`${kind.toUpperCase()} ${A.join('x')}`, s, `   pivots/solve ${(pivots / GAMES).toFixed(1).padStart(5)}   worst gap ${worstGap.toExponential(1)}${notOptimal ? `   NOT OPTIMAL ${notOptimal}` : ''}`);
      }
    }
  }
  console.log(' Nash:');
  for (const n of [5, 10]) {
    const games: NormalFormGame[] = Array.from({ length: GAMES }, () => createNormalFormGame([n, n], randomPayoffs(rng, [n, n], 'random')));
    line(`Lemke-Howson ${n}x${n} (label 0)`, time(GAMES, REPS, (k) => lemkeHowson(games[k], 0)));
  }
  {
    const games = Array.from({ length: 40 }, () => createNormalFormGame([4, 4, 4], randomPayoffs(rng, [4, 4, 4], 'random')));
    let worst = 0;
    for (const g of games) worst = Math.max(worst, approximateNash(g).epsilon);
    line('logit homotopy 4x4x4 (approximate)', time(40, 1, (k) => approximateNash(games[k])), `   worst epsilon ${worst.toExponential(1)}`);
  }
  const highs = await loadHighs();
  if (highs) {
    console.log(' HiGHS reference (same LP, persistent model, tolerances 1e-10):');
    for (const kind of ['cce', 'ce'] as CorrelatedKind[]) {
      const games = Array.from({ length: 100 }, () => randomPayoffs(rng, [5, 5], 'random'));
      const ref = createHighsCorrelatedSolver(highs, [5, 5], kind);
      line(`HiGHS ${kind.toUpperCase()} 5x5`, time(100, 2, (k) => ref.solve(games[k])));
      ref.dispose();
    }
  } else {
    console.log(' HiGHS not available: reference timing skipped');
  }
}
