/**
 * The closed catalogue of coded errors. Every error a client can provoke is one of these;
 * the API maps `status` to HTTP, and public text is Chinese first (brief: Standards).
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, zh: '输入不符合要求', en: 'Input is invalid' },
  UNKNOWN_EVENT_TYPE: { status: 400, zh: '未知的事件类型', en: 'Unknown event type' },
  WRONG_EXPECTED_REVISION: { status: 409, zh: '并发冲突：数据已被他人修改', en: 'Concurrency conflict: the stream revision is not the expected one' },
  IDEMPOTENCY_CONFLICT: { status: 409, zh: '事件编号已被使用于不同内容', en: 'Event id already used for different content' },
  NOT_FOUND: { status: 404, zh: '未找到', en: 'Not found' },
  ALREADY_EXISTS: { status: 409, zh: '已存在', en: 'Already exists' },
  UNAUTHENTICATED: { status: 401, zh: '未认证：缺少或无效的访问令牌', en: 'Not authenticated: missing or invalid token' },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'Not allowed' },
  RULE_VIOLATION: { status: 422, zh: '违反业务规则', en: 'Business rule violated' },
  LEDGER_CORRUPT: { status: 500, zh: '账本校验失败', en: 'Ledger verification failed' },
  LEDGER_ROLLED_BACK: { status: 503, zh: '账本未延续此前记录的检查点：可能被回滚或替换', en: 'The ledger does not extend its recorded checkpoint: rolled back or replaced' },
  STORE_UNAVAILABLE: { status: 503, zh: '存储不可用', en: 'Store unavailable' },
  /** The drand relay could not give a round that verifies: unreachable, an HTTP error, or an answer that fails the BLS check (502: a bad upstream, not our store). */
  DRAND_RELAY_UNAVAILABLE: { status: 502, zh: '无法从 drand 中继获取可验证的轮次', en: 'The drand relay did not provide a verifiable round' },
  BAD_REQUEST: { status: 400, zh: '请求格式错误', en: 'Malformed request' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests, try again later' },
  /** No `<data>/keys/log.key` (or an unreadable one): checkpoints cannot be signed; run `suiji keys init` (issue 11). */
  LOG_KEY_MISSING: { status: 503, zh: '未配置日志签名密钥（请运行 suiji keys init）', en: 'No log signing key (run suiji keys init)' },
  /** V4: the head does not extend the last signed checkpoint; the signer refuses to sign (issue 11). */
  CHECKPOINT_REFUSED: { status: 503, zh: '拒绝签署检查点：账本未延续上次签署的检查点', en: 'Refused to sign a checkpoint: the ledger does not extend the last signed checkpoint' },
  /** The store in use does not carry this feature (issue 12: signed checkpoints and cosignatures on EventStoreDB). */
  STORE_FEATURE_UNSUPPORTED: { status: 501, zh: '当前存储不支持此功能', en: 'The store in use does not support this feature' },
  INTERNAL_ERROR: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorDetails {
  /** JSON pointer or dotted path of the offending field, when there is one. */
  readonly field?: string;
  readonly [key: string]: unknown;
}

export class SuijiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly details: ErrorDetails;

  /** `zh`/`en` refine the catalogue text for this occurrence; both languages always present. */
  constructor(code: ErrorCode, details: ErrorDetails = {}, text?: { zh: string; en: string }) {
    const entry = errorCatalogue[code];
    const zh = text ? text.zh : entry.zh;
    const en = text ? text.en : entry.en;
    super(`${code}: ${en}`);
    this.name = 'SuijiError';
    this.code = code;
    this.status = entry.status;
    this.messageZh = zh;
    this.messageEn = en;
    this.details = details;
  }

  /** The one wire shape of every error: `{ error, message, details }`. */
  toJSON(): { error: ErrorCode; message: string; messageZh: string; messageEn: string; details: ErrorDetails } {
    return {
      error: this.code,
      message: `${this.messageZh} / ${this.messageEn}`,
      messageZh: this.messageZh,
      messageEn: this.messageEn,
      details: this.details,
    };
  }
}

/** A rule violation named after its rule ID (e.g. `PL5`), for tests and audit. */
export const ruleViolation = (rule: string, zh: string, en: string, details: ErrorDetails = {}): SuijiError =>
  new SuijiError('RULE_VIOLATION', { rule, ...details }, { zh: `${rule}：${zh}`, en: `${rule}: ${en}` });

export const isSuijiError = (e: unknown): e is SuijiError => e instanceof SuijiError;
