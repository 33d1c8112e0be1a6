/** Who did it (P1 全程留痕): every recorded event carries its actor, taken from the API token. */
export const roles = ['operator', 'principal', 'inspector', 'auditor', 'admin', 'system'] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  readonly userId: string;
  readonly role: Role;
  /** Department id; `system` events use the department they act for. */
  readonly department: string;
}

export const systemActor: Actor = { userId: 'system', role: 'system', department: 'system' };
