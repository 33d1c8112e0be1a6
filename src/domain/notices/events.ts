/**
 * Public notices (公示, P2): what the guideline says is published is published by the system
 * at the moment it happens, as an event of its own stream, written in the same atomic append
 * as the step it publishes — so there is never a step without its notice or a notice without
 * its step. The public site (a later issue) renders these events; nothing is copied by hand.
 *
 * Kinds: `planNotice` (抽查计划公示, on filing a plan version) and `taskNotice` (抽查任务公告,
 * on dispatching a task, T4), `resultNotice` (抽查结果公示, E5) and `resultCorrectionNotice`
 * (抽查结果更正公示, E6), both built in src/domain/results. Adding
 * a kind widens the schema without changing any stored payload, so the version stays 1.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { planItemSchema, planYearSchema } from '../plans/schemas.js';
import { taskClassSchema } from '../tasks/schemas.js';
import { dateSchema, idSchema, itemCategories, textSchema, usccSchema } from '../registers/schemas.js';

export const noticeKinds = ['planNotice', 'taskNotice', 'resultNotice', 'resultCorrectionNotice'] as const;

const idList = { type: 'array', maxItems: 1000, items: idSchema } as const;
export const noticeIdSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$' } as const;

/** 抽查计划公示: the filed version's full content, each item with its list name and category. */
export const planNoticeBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'departmentName', 'year', 'version', 'filedWith', 'changes', 'items'],
  properties: {
    departmentId: idSchema,
    departmentName: textSchema,
    year: planYearSchema,
    version: { type: 'integer', minimum: 1 },
    filedWith: { anyOf: [idSchema, { type: 'null' }] },
    changes: {
      type: 'object',
      additionalProperties: false,
      required: ['added', 'changed', 'removed'],
      properties: { added: idList, changed: idList, removed: idList },
    },
    items: {
      type: 'array',
      maxItems: 1000,
      items: {
        ...planItemSchema,
        required: [...planItemSchema.required, 'name', 'category'],
        properties: { ...planItemSchema.properties, name: textSchema, category: { enum: itemCategories } },
      },
    },
  },
} as const;

/**
 * 抽查任务公告 (T4, PL6, P2): the dispatched task — its number, items, window, executing units,
 * whether it is ad hoc, the draws it cites and how many targets each unit got; the drawn list
 * itself only when the task says it is published with the notice (`targets` null otherwise).
 */
export const taskNoticeBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'departmentId', 'departmentName', 'name', 'adHoc', 'items', 'window', 'delegate', 'drawIds', 'units', 'targets'],
  properties: {
    taskId: idSchema,
    departmentId: idSchema,
    departmentName: textSchema,
    name: textSchema,
    adHoc: { type: 'boolean' },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'object', additionalProperties: false, required: ['itemId', 'name'], properties: { itemId: idSchema, name: textSchema } },
    },
    window: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: dateSchema, to: dateSchema } },
    /** T1: the lower department that executes it, or null. */
    delegate: { anyOf: [idSchema, { type: 'null' }] },
    /**
     * P2/T3: the scope (抽查范围) — each class's pool filter and quota, as the draw took it — and the
     * plan version the task was created under (null: ad hoc). Absent on notices published before
     * issue 11 (the schema widened; stored payloads unchanged).
     */
    classes: { type: 'array', minItems: 1, maxItems: 50, items: taskClassSchema },
    planVersion: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
    drawIds: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } },
    units: {
      type: 'array',
      maxItems: 1000,
      items: { type: 'object', additionalProperties: false, required: ['executingUnit', 'count'], properties: { executingUnit: idSchema, count: { type: 'integer', minimum: 0 } } },
    },
    targets: {
      anyOf: [
        { type: 'null' },
        {
          type: 'array',
          maxItems: 1000000,
          items: { type: 'object', additionalProperties: false, required: ['uscc', 'executingUnit'], properties: { uscc: usccSchema, executingUnit: idSchema } },
        },
      ],
    },
  },
} as const;

/**
 * 抽查结果公示 (E5, P2) and its correction (E6, 更正): the target (name, USCC), the executing unit,
 * each item with its category as the national platforms show it. No inspector is named: the
 * platforms show the inspecting authority, not its staff.
 */
export const resultNoticeBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'taskIds', 'departmentId', 'departmentName', 'target', 'results', 'approvedOn', 'correction'],
  properties: {
    visitId: { type: 'string', minLength: 1, maxLength: 200 },
    taskIds: idList,
    departmentId: idSchema,
    departmentName: textSchema,
    target: { type: 'object', additionalProperties: false, required: ['uscc', 'name'], properties: { uscc: usccSchema, name: textSchema } },
    results: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['itemId', 'itemName', 'category', 'kind', 'detail'],
        properties: { itemId: idSchema, itemName: textSchema, category: textSchema, kind: { anyOf: [{ type: 'null' }, textSchema] }, detail: { anyOf: [{ type: 'null' }, textSchema] } },
      },
    },
    /** The day the result was approved and published (or, for a correction, corrected). */
    approvedOn: dateSchema,
    /** E6: null on the result notice; on a correction, which notice it corrects and why. */
    correction: {
      anyOf: [
        { type: 'null' },
        { type: 'object', additionalProperties: false, required: ['number', 'corrects', 'reason'], properties: { number: { type: 'integer', minimum: 1 }, corrects: noticeIdSchema, reason: { type: 'string', minLength: 1, maxLength: 500 } } },
      ],
    },
  },
} as const;

export const NoticePublished = defineEvent('NoticePublished', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['noticeId', 'kind', 'title', 'department', 'subject', 'body'],
  properties: {
    noticeId: noticeIdSchema,
    kind: { enum: noticeKinds },
    /** The public title, in Chinese (public text is Chinese first). */
    title: textSchema,
    /** The department that publishes it. */
    department: idSchema,
    /**
     * The event it publishes: its stream and revision (its ledger position follows from the
     * ledger; the notices read model shows it), and its type.
     */
    subject: {
      type: 'object',
      additionalProperties: false,
      required: ['streamId', 'revision', 'eventType'],
      properties: { streamId: { type: 'string', minLength: 1, maxLength: 300 }, revision: { type: 'integer', minimum: 0 }, eventType: { type: 'string', minLength: 1, maxLength: 100 } },
    },
    body: { anyOf: [planNoticeBodySchema, taskNoticeBodySchema, resultNoticeBodySchema] },
  },
} as const);

export const noticeEventDefinitions = [NoticePublished] as const;
export type NoticeEvent = DomainEvent<(typeof noticeEventDefinitions)[number]>;
export type Notice = PayloadOf<typeof NoticePublished>;
export type PlanNoticeBody = FromSchema<typeof planNoticeBodySchema>;
export type TaskNoticeBody = FromSchema<typeof taskNoticeBodySchema>;
export type ResultNoticeBody = FromSchema<typeof resultNoticeBodySchema>;

export const noticeStreamId = (noticeId: string): string => `notice-${noticeId}`;
