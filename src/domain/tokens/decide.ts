import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../decider.js';
import { authorize } from '../access.js';
import { SuijiError } from '../errors.js';
import { TokenIssued, type TokenEvent, type TokenState, evolveToken, initialTokenState } from './events.js';

type IssueData = FromSchema<typeof TokenIssued.schema>;

export type TokenCommand =
  | Command<'IssueToken', IssueData>
  | Command<'RevokeToken', { readonly tokenId: string; readonly reason: string }>;

export function decideToken(command: TokenCommand, state: TokenState): readonly TokenEvent[] | SuijiError {
  switch (command.type) {
    case 'IssueToken':
      if (state.status !== 'none') return new SuijiError('RULE_VIOLATION', { field: 'tokenId' }, { zh: '令牌编号已存在', en: 'Token id already exists' });
      if (command.metadata.actor.role !== 'admin' && command.metadata.actor.role !== 'system')
        return new SuijiError('FORBIDDEN', { field: 'role' }, { zh: '只有管理员可以签发令牌', en: 'Only an admin can issue tokens' });
      // `system` is the process itself (seeding, CLI); no bearer token may carry it.
      if (command.data.role === 'system')
        return new SuijiError('VALIDATION_FAILED', { field: 'role' }, { zh: '不能为 system 角色签发令牌', en: 'No token can be issued for the system role' });
      return [{ type: 'TokenIssued', payload: command.data }];
    case 'RevokeToken': {
      // G3: admins revoke any token; anyone may revoke their own (a holder who leaked a token
      // must be able to kill it at once). Decided before the token's state, so a non-admin
      // learns nothing about tokens that are not theirs (403 whether or not the id exists).
      const actor = command.metadata.actor;
      const own = state.status !== 'none' && state.userId === actor.userId;
      if (!own && authorize(actor, 'user.manage') !== null)
        return new SuijiError(
          'FORBIDDEN',
          { rule: 'G3', action: 'token.revoke', field: 'tokenId', role: actor.role },
          { zh: 'G3：只有管理员或令牌持有人本人可以吊销令牌', en: 'G3: only an admin or the token holder can revoke a token' },
        );
      if (state.status === 'none') return new SuijiError('NOT_FOUND', { field: 'tokenId' }, { zh: '令牌不存在', en: 'No such token' });
      if (state.status === 'revoked') return [];
      return [{ type: 'TokenRevoked', payload: command.data }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const tokenDecider: Decider<TokenCommand, TokenEvent, TokenState> = {
  initialState: initialTokenState,
  decide: decideToken,
  evolve: evolveToken,
};
