import type { ErrorObject } from 'ajv';
import localizeZhModule from 'ajv-i18n/localize/zh/index.js';
import { SuijiError } from './errors.js';

// ajv-i18n is CommonJS; under NodeNext its default import is the module object (as for ajv-formats).
const localizeZh = localizeZhModule as unknown as (errors: ErrorObject[]) => void;

/**
 * One way to turn Ajv's errors into a coded, bilingual error, for request bodies, query
 * strings, params and event payloads alike. The Chinese text is ajv-i18n's kept `zh`
 * localisation (issue 8 §4: no hand-written translations), the English text is Ajv's own, and
 * both are completed with what Ajv's messages leave out: the allowed values of an enum and
 * the name of an unknown or missing property.
 */

/** At most this many allowed values are listed; a longer enum is cut with "…" so an error stays readable. */
const MAX_LISTED = 30;

const list = (values: readonly unknown[], sep: string): string => {
  const shown = values.slice(0, MAX_LISTED).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return values.length > MAX_LISTED ? `${shown.join(sep)}${sep}…` : shown.join(sep);
};

/** The property an error is about, below its instancePath: the missing, unknown or badly named one. */
function propertyOf(e: ErrorObject): string | undefined {
  const p = e.params as { missingProperty?: unknown; additionalProperty?: unknown; propertyName?: unknown };
  const name = e.keyword === 'required' ? p.missingProperty : e.keyword === 'additionalProperties' ? p.additionalProperty : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** Properties the schema allows, when Ajv ran with `verbose` and so kept the parent schema. */
function allowedProperties(e: ErrorObject): string[] | undefined {
  const parent = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return parent?.properties ? Object.keys(parent.properties) : undefined;
}

function zhReason(e: ErrorObject): string {
  const copy: ErrorObject = { ...e, params: { ...e.params } };
  const errors = [copy];
  localizeZh(errors);
  return copy.message ?? '不符合要求';
}

export interface ValidationContext {
  /** Prefix of the field, e.g. `querystring`, `body`, or '' for a payload. */
  readonly prefix?: string;
  /** What was validated, in English (`payload of TargetRegistered`); names the subject of messageEn. */
  readonly what?: string;
}

/**
 * The coded error for Ajv's first error. `details.field` is the offending field as a path
 * (`querystring/limit`, `body/classes/0/quota`, `/uscc`); `details.allowedValues` lists an
 * enum; `details.parameter` and `details.allowedParameters` name an unknown property.
 */
export function validationError(errors: readonly ErrorObject[] | null | undefined, context: ValidationContext = {}): SuijiError {
  const e = errors?.[0];
  const prefix = context.prefix ?? '';
  if (!e) {
    const field = prefix || '/';
    return new SuijiError('VALIDATION_FAILED', { field }, { zh: `输入不符合要求：字段 ${field}`, en: `Invalid input: ${field}` });
  }
  const property = propertyOf(e);
  const field = `${prefix}${e.instancePath}${property !== undefined ? `/${property}` : ''}` || '/';
  let zh = zhReason(e);
  let en = e.message ?? 'is invalid';
  const details: Record<string, unknown> = { field, keyword: e.keyword, reason: en };

  if (e.keyword === 'enum' || e.keyword === 'const') {
    const p = e.params as { allowedValues?: unknown[]; allowedValue?: unknown };
    const allowed = e.keyword === 'enum' ? (p.allowedValues ?? []) : [p.allowedValue];
    details.allowedValues = allowed;
    zh += `（允许的值：${list(allowed, '、')}）`;
    en += ` (allowed: ${list(allowed, ', ')})`;
  } else if (e.keyword === 'additionalProperties' && property !== undefined) {
    const allowed = allowedProperties(e);
    details.parameter = property;
    const unknownZh = prefix === 'querystring' ? '未知的查询参数' : '未知的字段';
    const unknownEn = prefix === 'querystring' ? 'unknown query parameter' : 'unknown property';
    zh = `${unknownZh} ${property}`;
    en = `${unknownEn} ${property}`;
    if (allowed) {
      details.allowedParameters = allowed;
      zh += allowed.length > 0 ? `（允许的参数：${list(allowed, '、')}）` : '（不接受任何参数）';
      en += allowed.length > 0 ? ` (allowed: ${list(allowed, ', ')})` : ' (none is accepted)';
    }
  }
  const subject = context.what ? `Invalid ${context.what}` : 'Invalid input';
  return new SuijiError('VALIDATION_FAILED', details, { zh: `输入不符合要求：字段 ${field} ${zh}`, en: `${subject}: ${field} ${en}` });
}
