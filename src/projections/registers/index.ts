import type { Projection } from '../projection.js';
import { organisationProjection } from './departments.js';
import { itemListProjection } from './item-list.js';
import { expertsProjection, inspectorsProjection } from './people.js';
import { targetsProjection } from './targets.js';

/** The read models of 一单两库 and the organisation (G3, L1–L5), for the ProjectionRunner. */
export const registerProjections: readonly Projection[] = [organisationProjection, itemListProjection, targetsProjection, inspectorsProjection, expertsProjection];

export { organisationProjection, itemListProjection, targetsProjection, inspectorsProjection, expertsProjection };
export { queryTargets, NAME_SEARCH_CAP, poolOf, getTarget, listSpecialRegisters, targetWhere, pageSchema, searchSchema, likeSubstring, type Page, type Search, type TargetPage } from './query-targets.js';
export { activeInspectors, queryInspectors, queryInspectorPage, inspectorPool, queryExperts, queryExpertPage, expertPool, personPageSchema, type InspectorView, type PageOf, type PersonPage } from './query-people.js';
export { itemListVersion, itemListHistory, itemListDiff, currentItems, listDepartments, departmentParents, listUsers, type ItemListVersionView, type DepartmentView } from './query-organisation.js';
export { readTargetRow, exemptionFactsOf, type ExemptionFacts } from './targets.js';
