/** The built-in environments, registered by `env-registry.ts` when it loads. */
import type { EnvSpec } from '../env-spec.ts';
import { battleOfSexesV0 } from './battle-of-sexes.ts';
import { bridgeCrossingV0 } from './bridge-crossing.ts';
import { chickenV0 } from './chicken.ts';
import { corruptedBanditV0 } from './corrupted-bandit.ts';
import { initialShockV0 } from './initial-shock.ts';
import { intersectionV0 } from './intersection.ts';
import { matchingPenniesV0 } from './matching-pennies.ts';
import { microgridV0 } from './microgrid.ts';
import { prisonersDilemmaV0 } from './prisoners-dilemma.ts';
import { randomV0 } from './random-game.ts';
import { rockPaperScissorsV0 } from './rock-paper-scissors.ts';
import { shapleyV0 } from './shapley.ts';
import { stagHuntV0 } from './stag-hunt.ts';

/** Every built-in spec. */
export const builtinEnvs: readonly EnvSpec<any>[] = [
  initialShockV0,
  corruptedBanditV0,
  matchingPenniesV0,
  rockPaperScissorsV0,
  shapleyV0,
  chickenV0,
  prisonersDilemmaV0,
  battleOfSexesV0,
  stagHuntV0,
  randomV0,
  bridgeCrossingV0,
  intersectionV0,
  microgridV0,
];
