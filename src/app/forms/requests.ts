/**
 * The path schemas of the form routes (src/api/routes/forms.ts), shared with the console
 * (src/cli/commands/form.ts) so both accept exactly the same values. The bodies are the
 * domain's formContentSchema and visitFormChoiceSchema.
 */
import { idSchema } from '../../domain/registers/schemas.js';

/** A version in a path or option: decimal digits, as HTTP receives it. */
export const formVersionParamSchema = { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } as const;
const visitId = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const formItemParamsSchema = { type: 'object', additionalProperties: false, required: ['itemId'], properties: { itemId: idSchema } } as const;
export const formVersionParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'version'],
  properties: { itemId: idSchema, version: formVersionParamSchema },
} as const;
export const visitFormParamsSchema = { type: 'object', additionalProperties: false, required: ['visitId'], properties: { visitId } } as const;
