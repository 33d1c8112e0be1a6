/** E2/E3 checks of a template's content: pure, each refusal a coded error naming the field. */
import type { SuijiError } from '../errors.js';
import { invalid, sameValue } from '../registers/guard.js';
import type { FormMethod, FormQuestion } from './events.js';

/** E3: the fields each method must name ("a method that needs something names it"). */
export const methodNeeds: Readonly<Record<FormMethod['kind'], readonly (keyof FormMethod)[]>> = {
  written: [],
  onSite: [],
  networkMonitoring: [],
  samplingTest: ['needs'],
  reuse: ['citedDocument'],
  thirdParty: ['agency', 'commissioningUnit'],
};

const needText: Record<string, { zh: string; en: string }> = {
  needs: { zh: '所需的样品、数量与检验标准', en: 'what it needs (samples, quantities, test standard)' },
  citedDocument: { zh: '所采信结论的文书', en: 'the cited document whose conclusion is reused' },
  agency: { zh: '受委托的第三方机构名称', en: 'the commissioned agency\'s name' },
  commissioningUnit: { zh: '负责监督的委托单位', en: 'the commissioning unit that supervises it' },
};

export function checkQuestions(questions: readonly FormQuestion[]): SuijiError | null {
  const seen = new Set<string>();
  for (const [i, q] of questions.entries()) {
    if (seen.has(q.questionId)) {
      return invalid(`/questions/${i}/questionId`, `检查项编号重复：${q.questionId}`, `duplicate question id: ${q.questionId}`, 'E2');
    }
    seen.add(q.questionId);
    if (q.unit !== undefined && q.answer !== 'number') {
      return invalid(`/questions/${i}/unit`, `只有数值型检查项才有计量单位：${q.questionId}`, `only a number question has a unit: ${q.questionId}`, 'E2');
    }
  }
  return null;
}

export function checkMethods(methods: readonly FormMethod[]): SuijiError | null {
  const kinds = new Set<string>();
  for (const [i, m] of methods.entries()) {
    if (kinds.has(m.kind)) return invalid(`/methods/${i}/kind`, `检查方式重复：${m.kind}`, `duplicate method: ${m.kind}`, 'E3');
    kinds.add(m.kind);
    for (const f of methodNeeds[m.kind]) {
      if (m[f] === undefined || (typeof m[f] === 'string' && (m[f] as string).trim() === '')) {
        const t = needText[f] ?? { zh: f, en: f };
        return invalid(`/methods/${i}/${f}`, `检查方式 ${m.kind} 须写明${t.zh}`, `method ${m.kind} must name ${t.en}`, 'E3');
      }
    }
    // A field another kind needs, on this kind, is a mistake in the request, not extra detail.
    for (const f of ['needs', 'testingBody', 'citedDocument', 'agency', 'commissioningUnit'] as const) {
      const own = methodNeeds[m.kind].includes(f) || (f === 'testingBody' && m.kind === 'samplingTest');
      if (!own && m[f] !== undefined) return invalid(`/methods/${i}/${f}`, `检查方式 ${m.kind} 不使用字段 ${f}`, `method ${m.kind} takes no ${f}`, 'E3');
    }
  }
  return null;
}

export const sameContent = (a: { questions: unknown; methods: unknown }, b: { questions: unknown; methods: unknown }): boolean =>
  sameValue(a.questions, b.questions) && sameValue(a.methods, b.methods);
