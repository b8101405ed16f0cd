import { AppError } from '@yiyun/fhir';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Guards the id segments of instance URLs (http://hl7.org/fhir/R4/datatypes.html#id). */
export function assertId(id: string, what = 'resource id'): void {
  if (!ID.test(id)) throw new AppError('invalid', `Invalid ${what}`);
}

export function isId(id: string): boolean {
  return ID.test(id);
}
