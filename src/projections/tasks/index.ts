/** Read model of tasks (T1–T4, PL6): one row per task, for lists and filters. */
export { tasksProjection } from './projection.js';
export { listTasks, type TaskListQuery, type TaskSummary } from './queries.js';
