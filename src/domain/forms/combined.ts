/** E2 一对象一表单: one form per target, combining the forms of all the visit's items. Pure. */
import type { FormTemplate } from './events.js';

export interface CombinedQuestion {
  /** `<itemId>/<questionId>`: unique across the combined form. */
  readonly questionId: string;
  readonly itemId: string;
  readonly text: string;
  readonly legalBasis: string;
  readonly answer: 'conformity' | 'number' | 'text';
  readonly photoRequired: boolean;
}

export interface CombinedForm {
  readonly forms: { itemId: string; version: number }[];
  readonly questions: CombinedQuestion[];
}

/**
 * The form of one visit: for each item in `items` (in that order, duplicates once), the template
 * given for it — the highest version when several are given — and its questions in template
 * order. An item with no template given contributes nothing; the caller reports it.
 */
export function combinedForm(templates: readonly FormTemplate[], items: readonly string[]): CombinedForm {
  const forms: { itemId: string; version: number }[] = [];
  const questions: CombinedQuestion[] = [];
  for (const itemId of new Set(items)) {
    let t: FormTemplate | undefined;
    for (const x of templates) if (x.itemId === itemId && (!t || x.version > t.version)) t = x;
    if (!t) continue;
    forms.push({ itemId, version: t.version });
    for (const q of t.questions) {
      questions.push({ questionId: `${itemId}/${q.questionId}`, itemId, text: q.text, legalBasis: q.legalBasis, answer: q.answer, photoRequired: q.photoRequired });
    }
  }
  return { forms, questions };
}
