/** The pure draw-decider tests' given / when / then: fold a history, decide, and a standard CommitDraw. */
import { EventCatalogue } from '../../src/domain/catalogue.js';
import { SuijiError } from '../../src/domain/errors.js';
import { drawDecider, drawEventDefinitions, type CommitDraw, type DrawEvent } from '../../src/domain/draws/index.js';
import { DEADLINE, makeUscc, meta, witnessPlan } from './harness.js';

const catalogue = new EventCatalogue([...drawEventDefinitions]);
export const members = Array.from({ length: 10 }, (_, i) => makeUscc(i + 1));

export const fold = (history: readonly DrawEvent[]) => history.reduce(drawDecider.evolve, drawDecider.initialState);

/** given(history) / when(command) / then(events | error); produced events must pass their schemas. */
export function decide(history: readonly DrawEvent[], command: Parameters<typeof drawDecider.decide>[0]): readonly DrawEvent[] | SuijiError {
  const out = drawDecider.decide(command, fold(history));
  if (!(out instanceof SuijiError)) for (const e of out) catalogue.validate(e.type, e.payload);
  return out;
}

/** The events of an accepted command; a refusal fails the test with its code. */
export const events = (out: readonly DrawEvent[] | SuijiError): readonly DrawEvent[] => {
  if (out instanceof SuijiError) throw new Error(`${out.code}: ${out.messageEn}`);
  return out;
};

/** Task T1's first draw: 5 of `members` under item ITEM-G1 (ratio cap 50%), PL5 cap 2 with `exempt`. */
export const commitCommand = (exempt: { id: string; reasons: ('keyIndustry' | 'dishonest')[] }[] = []): CommitDraw => ({
  type: 'CommitDraw',
  data: {
    task: 'T1',
    input: { kind: 'targets', classes: [{ name: 'all', pool: { members }, quota: { count: 5 } }], entropy: witnessPlan() },
    source: { ledgerPosition: '42', filter: null },
    revealDeadline: DEADLINE,
    limits: { item: 'ITEM-G1', category: 'general', maxRatio: { numerator: 5000, denominator: 10000 } },
    counting: { year: 2026, cap: 2, exempt },
  },
  metadata: meta(),
});
