// Review claims with provenance: kernel entities, sentences with exact line spans, claim
// classification, links to the quoted text a claim answers, the labelled data and its evaluation.
export * from './types.js';
export { findEntities } from './entities.js';
export { splitSentences, sentenceEnds, paragraphs } from './sentences.js';
export { CUES, cuesOf, hasStrongCue, hasConcernEvidence, stanceOf, type CueName } from './cues.js';
export { sentenceFeatures, claimFeatures, CUE_WEIGHT, type FeatureOptions } from './features.js';
export { LogisticModel, type LogisticOptions, type SavedLogistic } from './logistic.js';
export { ClaimClassifier, OVERRIDES, type Classification, type LabelledSentence, type SavedClaimClassifier, type TrainOptions } from './classify.js';
export { candidateSentences, answeredBlock, extractClaims, type CandidateSentence, type ExtractOptions } from './extract.js';
export { inputFromBody, identifiersFromDiffs, type BodyViewOptions } from './bodyView.js';
export { inputFromSegments, inputFromMessageBody } from './fromSegments.js';
export {
  loadLabelled,
  parseLabelled,
  splitOf,
  threadKey,
  fnv1a32,
  LABELLED_PATH,
  MODEL_PATH,
  CLAIMS_DATA_DIR,
  type LabelledRow,
  type Split,
} from './dataset.js';
export { score, binaryScore, type Scores, type LabelScore } from './metrics.js';
export {
  trainClassifier,
  trainWithThreshold,
  predict,
  crossValidate,
  chooseShownConcernThreshold,
  shownConcernCandidate,
  shownConcern,
  loadClassifier,
  SHOWN_CONCERN_PRECISION,
  SHOWN_CONCERN_SELECTION_TARGET,
  type Prediction,
} from './model.js';
export { evaluate, toMarkdown, type Evaluation } from './eval.js';
export { crossValidateTrain, cvMarkdown, CV_MACRO_KINDS, type CrossValidation } from './cv.js';
export { buildModel } from './train.js';
export { readCorpusFile, readCorpusText, CORPUS_FILES, type CorpusMessage } from './corpus/index.js';
export { extractMany } from './pipeline.js';
export { measureExtraction, type Throughput } from './throughput.js';
