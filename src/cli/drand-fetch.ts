import { SuijiError } from '../domain/errors.js';
import { DRAND_CHAINS, QUICKNET_CHAIN_HASH, verifyDrandSignature } from '../verify/index.js';

export interface DrandBeacon {
  readonly round: number;
  readonly signature: string;
}

const unavailable = (relay: string, why: string): SuijiError =>
  new SuijiError('STORE_UNAVAILABLE', { field: '--relay', relay, why }, { zh: `无法从 drand 中继获取轮次：${why}`, en: `cannot fetch the drand round from the relay: ${why}` });

/**
 * Fetches round `round` of a drand chain from an HTTP relay (`GET {relay}/{chainHash}/public/{round}`,
 * drand's public HTTP API). The answer is untrusted: its BLS signature is verified against the
 * pinned chain key before it is returned, exactly as for a pasted round, so a lying relay can
 * only fail the call, never change a draw.
 */
export async function fetchDrandRound(relay: string, round: number, chainHash = QUICKNET_CHAIN_HASH, timeoutMs = 10_000): Promise<DrandBeacon> {
  const chain = DRAND_CHAINS[chainHash];
  if (!chain) throw new SuijiError('VALIDATION_FAILED', { field: 'chainHash', chainHash }, { zh: '未知的 drand 链', en: 'unknown drand chain' });
  let url: URL;
  try {
    url = new URL(`${relay.replace(/\/+$/, '')}/${chainHash}/public/${round}`);
  } catch {
    throw new SuijiError('VALIDATION_FAILED', { field: '--relay', relay }, { zh: '中继地址无效', en: 'invalid relay URL' });
  }
  let body: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw unavailable(relay, `HTTP ${res.status}`);
    body = await res.json();
  } catch (e) {
    throw e instanceof SuijiError ? e : unavailable(relay, e instanceof Error ? e.message : String(e));
  }
  const b = body as { round?: unknown; signature?: unknown };
  if (b.round !== round || typeof b.signature !== 'string' || !/^[0-9a-f]+$/.test(b.signature) || !verifyDrandSignature(chain, round, b.signature))
    throw unavailable(relay, 'the relay answered a round that does not verify against the pinned chain key');
  return { round, signature: b.signature };
}
