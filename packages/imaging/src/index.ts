export * from './blob/port.ts';
export * from './crypto/port.ts';
export * from './service/port.ts';
export * from './storage/port.ts';
export * from './dicom/port.ts';
