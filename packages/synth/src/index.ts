export { exitCodeFor, runSynth, synthCommand, USAGE_EXIT_CODE } from './cli/synth-command.ts';
export { SYSTEMS } from './data/systems.ts';
export { generateRegion, type SynthOptions, type SynthSummary } from './generate.ts';
export { buildHealthCard, isValidHealthCard } from './ids/health-card.ts';
export { buildResidentId, idCheckDigit, isValidResidentId } from './ids/resident-id.ts';
export { isValidUscc, usccCheckChar } from './ids/uscc.ts';
export { DEFAULT_OPTIONS, validateSynthOptions } from './options.ts';
export { ndjsonDirectorySink, type ResourceSink } from './sink/ndjson-sink.ts';
export type {
  OutbreakCaseTruth,
  OutbreakTruth,
  PatientTruth,
  RepeatedTestTruth,
} from './truth/ground-truth.ts';
