import type { ResidentRegistry } from '@yiyun/mpi';
import type { Database } from '@yiyun/store';
import type { OperationSpec } from '../../fhir/operations/registry.ts';
import { findResidentOperation } from './find-resident.ts';
import { matchOperation } from './match.ts';
import { mergeOperation, unmergeOperation } from './merge.ts';
import { pixOperation } from './pix.ts';
import { mergesOperation, reviewDecideOperation, reviewQueueOperation } from './review.ts';

/** The resident registry's FHIR operations (issue #5). */
export function registryOperations(registry: ResidentRegistry, database: Database): OperationSpec[] {
  return [
    matchOperation(registry),
    findResidentOperation(registry),
    pixOperation(registry),
    mergeOperation(registry, database),
    unmergeOperation(registry, database),
    reviewQueueOperation(registry),
    reviewDecideOperation(database),
    mergesOperation(registry),
  ];
}
