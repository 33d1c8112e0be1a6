/**
 * Check form templates (检查表, E2/E3): one stream per item, `form-<itemId>`, a sequence of
 * versions. A version is never changed: a change is the next version, with its reason. A visit's
 * manual choice of versions is its own stream, `visit-form-<visitId>`; without one, the visit
 * uses every item's current version (automatic match).
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { idSchema } from '../registers/schemas.js';
import { formContentSchema, formVersionSchema, visitFormChoiceSchema } from './schemas.js';

export const FormVersionPublished = defineEvent('FormVersionPublished', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'version', 'questions', 'methods', 'reason'],
  properties: { itemId: idSchema, version: formVersionSchema, ...formContentSchema.properties },
} as const);

export const VisitFormChosen = defineEvent('VisitFormChosen', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'forms', 'reason'],
  properties: { visitId: { type: 'string', minLength: 1, maxLength: 200 }, ...visitFormChoiceSchema.properties },
} as const);

export const formEventDefinitions = [FormVersionPublished, VisitFormChosen] as const;
export type FormEvent = DomainEvent<typeof FormVersionPublished>;
export type VisitFormEvent = DomainEvent<typeof VisitFormChosen>;
/** One published version of an item's template. */
export type FormTemplate = PayloadOf<typeof FormVersionPublished>;
export type FormQuestion = FormTemplate['questions'][number];
export type FormMethod = FormTemplate['methods'][number];
export type FormChoice = PayloadOf<typeof VisitFormChosen>['forms'][number];

export const formStreamId = (itemId: string): string => `form-${itemId}`;
export const visitFormStreamId = (visitId: string): string => `visit-form-${visitId}`;

export interface FormState {
  readonly revision: number;
  readonly versions: readonly FormTemplate[];
}
export const initialFormState: FormState = { revision: 0, versions: [] };
export const currentTemplate = (s: FormState): FormTemplate | undefined => s.versions[s.versions.length - 1];

export function evolveForm(state: FormState, event: FormEvent): FormState {
  switch (event.type) {
    case 'FormVersionPublished':
      return { revision: state.revision + 1, versions: [...state.versions, event.payload] };
    default: {
      const _exhaustive: never = event.type;
      return _exhaustive;
    }
  }
}

export interface VisitFormState {
  readonly revision: number;
  /** The latest manual choice; null while the visit uses the current versions. */
  readonly chosen: PayloadOf<typeof VisitFormChosen> | null;
}
export const initialVisitFormState: VisitFormState = { revision: 0, chosen: null };

export function evolveVisitForm(state: VisitFormState, event: VisitFormEvent): VisitFormState {
  switch (event.type) {
    case 'VisitFormChosen':
      return { revision: state.revision + 1, chosen: event.payload };
    default: {
      const _exhaustive: never = event.type;
      return _exhaustive;
    }
  }
}
