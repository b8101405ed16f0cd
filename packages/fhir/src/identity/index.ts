export { idCheckDigit, isValidResidentId, RESIDENT_ID_SYSTEM } from './resident-id.ts';
