/**
 * Schema fragments shared by the register aggregates (`as const`, so FromSchema types and
 * Ajv validation come from one source — STYLE habit 1).
 */
export const idSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;
export const textSchema = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const longTextSchema = { type: 'string', minLength: 1, maxLength: 2000 } as const;
/** Syntax only; the check character is verified by validateUscc in the deciders (L6). */
export const usccSchema = { type: 'string', pattern: '^[0-9A-Z]{18}$' } as const;
export const dateSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
/** GB/T 4754-2017: section letter + 2–4 digits (division, group, class), e.g. F5265. */
export const industrySchema = { type: 'string', pattern: '^[A-T][0-9]{2,4}$' } as const;
/** Filter prefix: a section letter alone, or letter + 2–4 digits. */
export const industryPrefixSchema = { type: 'string', pattern: '^[A-T]([0-9]{2,4})?$' } as const;
export const regionSchema = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const regionCodeSchema = { type: 'string', pattern: '^[0-9]{6}([0-9]{3})?$' } as const;

export const entityTypes = ['enterprise', 'individualBusiness', 'farmerCooperative', 'other'] as const;
export const scales = ['large', 'medium', 'small', 'micro'] as const;
export const levels = ['A', 'B', 'C', 'D'] as const;
export const targetStatuses = ['active', 'deregistered', 'revoked', 'licenceRevoked', 'unreachable', 'movedOut'] as const;
export const personStatuses = ['active', 'suspended', 'left'] as const;
export const userRoles = ['operator', 'principal', 'inspector', 'auditor', 'admin'] as const;
export const departmentKinds = ['bureau', 'office', 'unit'] as const;
export const itemCategories = ['general', 'key'] as const;
export const inspectionMethods = ['written', 'onSite', 'networkMonitoring', 'samplingTest', 'reuse', 'thirdParty'] as const;

export const reasonSchema = { type: 'string', minLength: 1, maxLength: 500 } as const;
