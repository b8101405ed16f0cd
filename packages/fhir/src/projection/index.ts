export {
  createProjector,
  type Projector,
  type ProjectorOptions,
  SUBSETTED_TAG,
  type SummaryMode,
} from './projector.ts';
