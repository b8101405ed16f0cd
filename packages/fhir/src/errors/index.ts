export {
  AppError,
  ERROR_TABLE,
  type ErrorCode,
  informational,
  isAppError,
  outcome,
  toOperationOutcome,
} from './app-error.ts';
