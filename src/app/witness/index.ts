/** `suiji witness`: a higher department's witness of a county's log (issue 11). */
export { createWitnessKey, formatWitnessSecretKey, parseWitnessSecretKey, readWitnessKey, type WitnessKey } from './key.js';
export { WitnessStateDir, type WitnessState } from './state.js';
export { runWitness, type WitnessOptions, type WitnessOutcome, type WitnessRefusal } from './witness.js';
