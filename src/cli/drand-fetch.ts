import { SuijiError } from '../domain/errors.js';
import { DRAND_CHAINS, QUICKNET_CHAIN_HASH, verifyDrandSignature } from '../verify/index.js';

export interface DrandBeacon {
  readonly round: number;
  readonly signature: string;
}

type RelayFailure = 'unreachable' | 'http-status' | 'not-json' | 'unverified';

/**
 * A relay failure is the relay's, not the ledger's: its own code (issue 8 §4: it was called
 * STORE_UNAVAILABLE), with `reason` telling an outage from an answer that failed the BLS check.
 */
const relayFailed = (relay: string, round: number, reason: RelayFailure, zh: string, en: string): SuijiError =>
  new SuijiError('DRAND_RELAY_UNAVAILABLE', { field: '--relay', relay, round, reason }, { zh: `无法从 drand 中继 ${relay} 获取轮次 ${round}：${zh}`, en: `cannot fetch drand round ${round} from the relay ${relay}: ${en}` });

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
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    // Network errors carry English text from Node (e.g. "fetch failed"); it goes in English only.
    const why = e instanceof Error ? e.message : String(e);
    throw relayFailed(relay, round, 'unreachable', '中继无法连接或超时', `the relay is unreachable or timed out (${why})`);
  }
  if (!res.ok) throw relayFailed(relay, round, 'http-status', `中继答复 HTTP ${res.status}`, `the relay answered HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw relayFailed(relay, round, 'not-json', '中继的答复不是 JSON', 'the relay did not answer JSON');
  }
  const b = body as { round?: unknown; signature?: unknown };
  if (b.round !== round || typeof b.signature !== 'string' || !/^[0-9a-f]+$/.test(b.signature) || !verifyDrandSignature(chain, round, b.signature))
    throw relayFailed(relay, round, 'unverified', '答复的轮次未通过固定链公钥的签名校验', 'the relay answered a round that does not verify against the pinned chain key');
  return { round, signature: b.signature };
}
