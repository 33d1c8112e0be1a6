import { defineEvent, type DomainEvent } from '../event-definition.js';
import { roles } from '../actor.js';

/** An API token was issued. Only the SHA-256 of its secret is recorded; the secret is shown once. */
export const TokenIssued = defineEvent('TokenIssued', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['tokenId', 'userId', 'role', 'department', 'secretHash'],
  properties: {
    tokenId: { type: 'string', pattern: '^[a-z0-9]{16}$' },
    userId: { type: 'string', minLength: 1, maxLength: 64 },
    role: { type: 'string', enum: roles },
    department: { type: 'string', minLength: 1, maxLength: 64 },
    secretHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    label: { type: 'string', maxLength: 200 },
  },
} as const);

export const TokenRevoked = defineEvent('TokenRevoked', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['tokenId', 'reason'],
  properties: {
    tokenId: { type: 'string', pattern: '^[a-z0-9]{16}$' },
    reason: { type: 'string', minLength: 1, maxLength: 500 },
  },
} as const);

export const tokenEventDefinitions = [TokenIssued, TokenRevoked];

export type TokenEvent = DomainEvent<typeof TokenIssued> | DomainEvent<typeof TokenRevoked>;

export type TokenState = { readonly status: 'none' } | { readonly status: 'active' | 'revoked'; readonly userId: string };

export const initialTokenState: TokenState = { status: 'none' };

export function evolveToken(state: TokenState, event: TokenEvent): TokenState {
  switch (event.type) {
    case 'TokenIssued':
      return { status: 'active', userId: event.payload.userId };
    case 'TokenRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
  }
}

export const tokenStreamId = (tokenId: string): string => `token-${tokenId}`;
