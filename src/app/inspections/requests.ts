/** Request bodies of the on-site record (E4), shared by the HTTP routes and the CLI. */
import type { FromSchema } from 'json-schema-to-ts';
import { onSiteSchema, preCheckSchema, targetSignatureSchema, witnessSchema } from '../../domain/inspections/index.js';

export const preCheckRequestSchema = preCheckSchema;
export type PreCheckRequest = FromSchema<typeof preCheckRequestSchema>;

export const onSiteRequestSchema = onSiteSchema;
export type OnSiteRequest = FromSchema<typeof onSiteRequestSchema>;

/** E4: the target signs (name, role), or refuses and a witness is named — exactly one of the two. */
export const targetAnswerRequestSchema = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['signed'], properties: { signed: targetSignatureSchema } },
    { type: 'object', additionalProperties: false, required: ['refused'], properties: { refused: { type: 'object', additionalProperties: false, required: ['witness'], properties: { witness: witnessSchema } } } },
  ],
} as const;
export type TargetAnswerRequest = FromSchema<typeof targetAnswerRequestSchema>;
