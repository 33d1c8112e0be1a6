/**
 * Result categories (E5, A4): the national platforms' set as the default, configuration rather
 * than code — a higher authority that renames or adds a category changes the configuration, and
 * each result records the label it was given, so a later change never rewrites a published one.
 */
export interface ResultKind {
  readonly code: string;
  readonly label: string;
  /** The kind needs a detail text (其他违法行为: the field, e.g. 食品安全). */
  readonly detail?: boolean;
}

export interface ResultCategory {
  readonly code: string;
  readonly label: string;
  /** A category with kinds needs one of them (发现问题待后续处理). */
  readonly kinds?: readonly ResultKind[];
}

/** 国家“双随机、一公开”监管平台 result categories, in the platforms' order and wording. */
export const defaultResultCategories: readonly ResultCategory[] = [
  { code: 'noProblem', label: '未发现问题' },
  {
    code: 'problemFound',
    label: '发现问题待后续处理',
    kinds: [
      { code: 'undisclosedInformation', label: '未按规定公示应当公示的信息' },
      { code: 'falseDisclosure', label: '公示信息隐瞒真实情况弄虚作假' },
      { code: 'unreachableAtAddress', label: '通过登记的住所（经营场所）无法联系' },
      { code: 'otherViolation', label: '其他违法行为', detail: true },
    ],
  },
  { code: 'rectified', label: '发现问题经责令已改正' },
  { code: 'noActivity', label: '未发现开展本次抽查涉及的经营活动' },
  { code: 'closedOrLiquidating', label: '已关闭停业或正在组织清算' },
  { code: 'nonCooperation', label: '不配合检查情节严重' },
  { code: 'deregistered', label: '已注销' },
  { code: 'licenceRevoked', label: '已吊销' },
  { code: 'registrationRevoked', label: '已撤销' },
  { code: 'movedOut', label: '已迁出' },
];

/** Statutory periods in working days (A4: configuration, defaults from E5 and E7). */
export interface ResultPeriods {
  /** E5: publication within n working days after the task completes. */
  readonly publishWithin: number;
  /** E7: re-check decision within n working days of the objection's receipt. */
  readonly recheckWithin: number;
  /** E7: feedback to the target within n working days of the decision. */
  readonly feedbackWithin: number;
}
export const defaultResultPeriods: ResultPeriods = { publishWithin: 20, recheckWithin: 20, feedbackWithin: 15 };
