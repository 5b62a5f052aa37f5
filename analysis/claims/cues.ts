// Kernel-review cue words: the phrases reviewers use to object, ask, suggest, agree or NAK.
// They are features for the classifier, decide the few cases that need no statistics (an
// `Acked-by:` trailer, a NAK), and decide the stance of a reply toward the text it quotes.
import type { Stance } from './types.js';

export const CUES = {
  /** The word NAK/NACK anywhere (not a `NAK-bait-for:`-style made-up trailer); see `isNak` for a NAK given. */
  nak: /\bNAC?K(?:ed)?\b(?!-)|\bNacked-by:/,
  ackTrailer: /^(?:Acked|Reviewed|Tested)-by:\s*\S/i,
  agree: /\b(?:looks?|seems?|sounds?) (?:good|ok(?:ay)?|fine|sane|reasonable|correct|right)\b|\bmakes? (?:sense|sence)\b|\bagreed?\b|\bfair enough\b|\bgood (?:eye|catch|point|idea)\b|\blgtm\b|\bfeel free to add\b|\bI(?:'m| am) fine with\b|\bthat works\b|\bexactly\b|\bindeed\b|\byes\b|^right\b|^ok(?:ay)?\b|^sure\b|\bthanks? for (?:fixing|catching|the fix|looking)|\bno objections?\b/i,
  disagree: /\bI (?:don't|do not|didn't) (?:think|agree|see|buy|like)\b|\bnot (?:true|correct|convinced|sure that)\b|\bdisagree\b|\bthat(?:'s| is) (?:not|wrong)\b|^no[,.!]|\bI(?:'m| am) not sure\b|\bnot quite\b|\bhowever\b|\bI doubt\b/i,
  problem: /\bproblem(?:atic|s)?\b|\bcrash(?:es|ed)?\b|\brac(?:e|es|y|ing)\b|\bbreak(?:s|age|ing)?\b|\bbroken\b|\bbug(?:s|gy)?\b|\bBUG(?:_ON)?\b|\boops\b|\bpanic\b|\bcorrupt\w*|\bdeadlock\w*|\blockup\b|\bhangs?\b|\bleak\w*|\bregression\b|\bbogus\b|\bwrong\b|\bfail(?:s|ed|ure|ing)?\b|\bout[- ]of[- ]bounds?\b|\boverflow\w*|\buninitiali[sz]ed\b|\bgarbage\b|\bWARN(?:_ON)?\b|\bwarning\b|\bdanger\w*|\bunsafe\b|\bincorrect\b|\bconflict\w*|\bstumble\b|\bfragile\b|\bslowdown\b|\bwrap around\b|\bsplat\b|\bABBA\b|\bmissing\b|\bmiss(?:es|ed)?\b|\bforgot\b|\bstale\b|\buse[- ]after[- ]free\b/i,
  /** Words that name a defect outright, as opposed to describing one (`warning`, `missing`). */
  defect: /\bproblematic\b|\bcrash(?:es|ed)?\b|\bdeadlock\w*|\bcorrupt\w*|\bbroken\b|\bbogus\b|\bwrong\b|\binvalid\b|\bincorrect\b|\bbreak(?:s|ing)?\b|\bpanic\b|\bout[- ]of[- ]bounds?\b|\btoo late\b|\bnot sufficient\b|\bcan'?t be detected\b|\bmissing the point\b|\bis a bug\b|\buse[- ]after[- ]free\b|\bcause[sd]? (?:the )?(?:error|crash|problem)/i,
  worry: /\bworr(?:y|ied)\b|\bconcern(?:ed)?\b|\bnervous\b|\buncomfortable\b|\bafraid\b|\bcareful\b|\btricky\b|\bmad\b|\bhack(?:y|s)?\b|\bsucks?\b|\bnot great\b|\bhorribl[ey]\b|\bpushed back\b|\bdoesn'?t look (?:right|correct)\b|\bnot (?:correct|right)\b/i,
  riskModal: /\b(?:might|may|could|can|will|would)\s+(?:\w+\s+){0,3}?(?:break|crash|fail|corrupt|return|cause|lead|trip|conflict|wrap|stumble|get confused|BUG|leak|race|hang|deadlock)\w*/i,
  commitImperative: /^(?:Fix|Use|Add|Introduce|Teach|Prepare|Implement|Update|Rework|Move|Explain|Convert|Remove|Kill|Drop|Export|Arrange|Replace|Allow|Make|Let|Enable|Disable|Plumb)\b/,
  openAgree: /^(?:right|yes|yeah|yep|agreed?|indeed|exactly|correct|true|sure|ok(?:ay)?|good (?:eye|catch|point)|makes sense|fair enough)\b/i,
  openDisagree: /^(?:no\b|nope\b|not (?:really|quite|true)\b|I (?:don't|do not) (?:think|agree|see)\b|I disagree\b|well\b|hmm\b)/i,
  negModal: /\b(?:should|must|can|could|would|will|does|do|is|are)\s+not\b|\b[a-z]+n['’]t\b|\bcannot\b/i,
  suggest: /\bhow about\b|\bI'?d (?:suggest|prefer|rather)\b|\bI would (?:suggest|prefer|rather)\b|\bsuggest\w*|\bwhy not\b|\bwould be (?:better|nicer|cleaner|good|great|preferable|simpler)\b|\bplease\b|\binstead\b|\blet'?s\b|\bmaybe\b|\bperhaps\b|\b(?:could|can|would) you\b|\byou (?:should|need to|could|might want|may want)\b|\bprefer\w*|\bbetter to\b|\bconsider\b|\bshould (?:we|probably|just|also|be)\b|\bwe (?:should|need to|could)\b|\bi think we\b|\brather than\b/i,
  question: /\?\s*(?:\)|:\)|:-\))?\s*$/,
  questionStart: /^(?:I'?d like to know|I wonder|wondering|is|are|do|does|did|can|could|would|should|will|why|what|how|where|when|which|who|any|am i|isn't|doesn't|don't|shouldn't|wouldn't)\b/i,
  hedge: /\bI (?:think|guess|believe|suspect|assume|wonder)\b|\bafaict\b|\bafaik\b|\biiuc\b|\bif I (?:read|understand)\b|\bseems?\b|\bprobably\b|\bmight\b/i,
  thanks: /^(?:thanks?|thank you|cheers|regards)\b/i,
  selfAction: /\b(?:I'?ll|I will|will) (?:respin|send|fix|post|queue|look|take|update|rework|drop|resend|do|add|try|check)\b/i,
  fact: /\b(?:always|never|only|returns?|because|since|is (?:called|set|held|taken)|are (?:called|set|held))\b/i,
  /** Review phrasings of a problem that the single defect words miss. */
  concernPhrase: /\b(?:should|must|can)(?:n'?t| not)\b.{0,60}\bwithout\b|\bcannot\b.{0,60}\bwithout\b|\bis problematic\b|\bcould cause\b|\bnot safe\b|\bI (?:still )?worry\b|\bthis is wrong\b|\b(?:does|will|would)(?:n'?t| not) work\b|\bis (?:racy|broken|buggy|fragile)\b|\bwhat (?:happens|if)\b|\bno longer works?\b|\bthere is no (?:guarantee|way)\b|\bnot (?:guaranteed|sufficient|enough)\b|\bgoes? wrong\b|\bend up\b/i,
  /** Proposals: "how about", "could we instead", "I'd suggest", imperative "please". */
  suggestPhrase: /\bhow about\b|\bwhat about\b|\b(?:could|can|should) we (?:instead|just|not|simply|rather)\b|\bI'?d (?:suggest|prefer|rather)\b|\bwhy not\b|^please\b|\bwouldn'?t it be\b|\bit would be (?:better|nicer|cleaner|simpler|good)\b/i,
  /**
   * Unambiguous objections: something named wrong, broken or a bug, a change that will break or
   * crash, a worry voiced in the first person. Used as an override (see classify.ts): on the train
   * split every sentence of review prose that matched was a concern. Narrowed after reading its
   * hits on kvmarm (an archive never trained on): "invalid" only of the code under review ("those
   * checks are invalid", not "the PASID is invalid"), never "nothing wrong"/"not broken", and not
   * "root cause the problem".
   */
  strongConcern: /\b(?:looks|is|seems|are) (?:(?!nothing |not |never )\w+ )?(?:wrong|broken|bogus|incorrect|racy|buggy|problematic)\b|\b(?:this|that|these|those|it)(?: \w+)? (?:looks|is|seems|are) (?:\w+ )?invalid\b|\b(?:is|that'?s) a bug\b|\bthe wrong (?:place|thing|approach|fix)\b|\b(?:will|would|might|could|may) (?:\w+ )?(?:break|crash|corrupt)\b|\bI(?:'m| am)? (?:still )?(?:worr(?:y|ied)|concerned)\b|\bmy (?:main |only )?concern\b|\buncomfortable\b|\bcan'?t be detected\b|\bstumble (?:over|on|into)\b|(?<!root[- ])\bcauses? (?:the |a )?(?:error|crash|problem|issue)\b|(?<!not )\btoo late\b|\bdoesn'?t look (?:right|correct)\b|\bnot (?:correct|right)\b(?! now)/i,
  /**
   * Where a strongConcern phrase is not an objection to the patch: a worry about one's own
   * understanding ("I'm concerned that I'm missing something") or the breakage a rejected
   * alternative would cause ("removing it would break migration", said for keeping the code);
   * since kvmarm was read, also one's own mistake ("my assumption is completely wrong"), a denial
   * ("I'm not saying that your approach is incorrect"), talk about an objection ("asserting the
   * author is wrong") and a condition ("If kvm-unit-test is the wrong place for it, …", "nothing bad
   * will happen if this is wrong", "I'm not sure if there is something wrong in my test").
   */
  notAnObjection: /\bI(?:'m| am) (?:\w+ )?(?:concerned|worried) that I\b|\b(?:removing|dropping|changing|reverting|doing) (?:it|this|that|them)\b[^.;]{0,40}\bwould (?:\w+ )?break\b|\bmy (?:\w+ )?(?:assumption|understanding|reading|memory|guess) (?:\w+ ){0,2}(?:is|was)\b|\bI(?:'m| am) not saying\b|\basserting\b|\bI (?:don't|do not) think (?:\w+ ){0,3}(?:would|will|could) (?:\w+ )?break\b|\b(?:if|whether)\b[^,;.]{0,60}\b(?:wrong|broken|incorrect|not right)\b/i,
  /** Unambiguous proposals. */
  strongSuggest: /\bhow about\b|\bI'?d (?:suggest|prefer|rather)\b|\bI would (?:suggest|prefer|rather)\b|\bwhy not\b|\b(?:could|can|should) we (?:instead|just|simply|rather)\b|^please (?:use|drop|add|make|fix|split|move|keep|consider|change|rename|convert|remove|document|describe|explain|send this)\b|\bI think we should\b/i,
  /** Unambiguous agreement, when it opens a short sentence. */
  strongAgree: /^(?:(?:yes|yeah|ok(?:ay)?|right|true|ah|indeed)[,.!]?\s*)?(?:looks? (?:good|ok(?:ay)?|fine|sane)(?: to me)?|makes sense|agreed?|good (?:catch|point|eye)|fair enough|lgtm|indeed|exactly(?: correct)?)\b/i,
  /**
   * Review words of objection that name no defect: something odd, confusing, redundant or not
   * enough, a thing missed or forgotten, "I don't think", "the problem is".
   */
  objection: /\b(?:odd|weird|strange|confus\w*|misleading|redundant|unnecessar\w*|useless|pointless|bad idea|object(?:s|ed)? to|dislike|(?:not|in)sufficient|forg[oe]t|missed|doesn'?t (?:yet )?support|not supported|violat\w*|abus\w*|obfuscat\w*|hard to read|ugly|silently)\b|\bthe (?:issue|problem|question|bad thing|trouble) is\b|\bI (?:don'?t|do not) (?:think|see|want|like)\b|\bnot (?:sure|convinced)\b|\bwhy would\b/i,
  /** Any modal verb. */
  modal: /\b(?:should|must|might|may|could|would|can|will|shall)\b|\b(?:I'?ll|we'?ll|it'?ll)\b/i,
  /** Any negation. */
  negation: /\bnot\b|n['’]t\b|\bnever\b|\bno\b|\bcannot\b|\bnothing\b|\bnone\b/i,
  /** The reviewer addresses the author. */
  secondPerson: /\byou(?:r|'re|'ve|'d)?\b/i,
  firstPerson: /\b(?:I|I'm|I've|I'd|me|my)\b/,
  conditional: /^(?:if|when|unless|once|otherwise)\b|\b(?:if|unless)\b/i,
} as const;

export type CueName = keyof typeof CUES;

/** Exceptions to the override and shown-concern rules, not evidence of a kind: no feature of the model. */
const NOT_FEATURES: ReadonlySet<CueName> = new Set(['notAnObjection']);

/** Names of the cues present in a sentence (the classifier's cue features). */
export function cuesOf(sentence: string): CueName[] {
  const out: CueName[] = [];
  for (const name of Object.keys(CUES) as CueName[]) if (!NOT_FEATURES.has(name) && CUES[name].test(sentence)) out.push(name);
  return out;
}

const NAK_WORD = String.raw`NAC?K(?:ed)?\b(?!-)`;
/** The NAK opens the sentence, perhaps after a short lead-in ("Sorry, NAK", "In short: NACK for atmel-mci."). */
const NAK_OPENING = new RegExp(String.raw`^(?:Nacked-by:|(?:[\w' ]{0,24}[:,;-]\s*)?${NAK_WORD})`);
/** The writer NAKs: "I must NAK this", "NAK on this …", "NACK from me". */
const NAK_GIVEN = new RegExp(String.raw`\bI(?:'m|'ll|'d| am| will| would| must| have to| need to| do)?(?: \w+){0,2} ${NAK_WORD}|\b${NAK_WORD} (?:to|for|on) (?:this|that|these|it|the)\b|\b${NAK_WORD} from me\b`);
/** A NAK talked about rather than given: "if there's a hard NACK for APF", "his NAK", "a NACK?". */
const NAK_MENTIONED = new RegExp(String.raw`\b(?:if|whether|unless)\b.*\b${NAK_WORD}|\b(?:a|an|the|his|her|their|your|any|no|hard|soft)\s+${NAK_WORD}`, 'i');

/**
 * A NAK given by the writer: the word opens the sentence or the writer gives it ("I must NAK this",
 * "NAK on this change"), and it is not a question, a condition or a NAK someone else gave. Seen on
 * kvmarm (2019–2022): "I agree that if there's a hard NACK for APF …" and a joke `NAK-bait-for:`
 * trailer were read as NAKs when any NAK word counted.
 */
export function isNak(sentence: string): boolean {
  const s = sentence.trim();
  if (!CUES.nak.test(s) || CUES.question.test(s) || NAK_MENTIONED.test(s)) return false;
  return NAK_OPENING.test(s) || NAK_GIVEN.test(s);
}

/** True when a sentence names a defect, voices a worry or says what could go wrong. */
export function hasConcernEvidence(sentence: string): boolean {
  return CUES.defect.test(sentence) || CUES.worry.test(sentence) || CUES.riskModal.test(sentence);
}

/** Cues strong enough to make a sentence without any kernel entity a claim candidate. */
export function hasStrongCue(sentence: string): boolean {
  return (
    CUES.nak.test(sentence) ||
    CUES.ackTrailer.test(sentence) ||
    CUES.agree.test(sentence) ||
    CUES.problem.test(sentence) ||
    CUES.question.test(sentence) ||
    CUES.suggest.test(sentence) ||
    CUES.disagree.test(sentence) ||
    CUES.negModal.test(sentence)
  );
}

const OPENING_AGREE = /^(?:right|yes|yeah|yep|agreed?|indeed|exactly|correct|true|sure|ok(?:ay)?|ack|good (?:eye|catch|point)|makes sense|fair enough|that'?s (?:right|true|correct))\b/i;
const OPENING_DISAGREE = /^(?:no\b|nope\b|not (?:really|quite|true)\b|I (?:don't|do not) (?:think|agree|see why)\b|I disagree\b|that(?:'s| is) (?:not|wrong)\b|I(?:'m| am) not (?:sure|convinced)\b|well,? no\b|hmm,? (?:no|not)\b)/i;

/**
 * Stance of a reply sentence toward the quoted text it answers. The first words decide it:
 * "Right, that is problematic" agrees, "I don't think that's true" disagrees; a NAK disagrees
 * and an ack agrees; anything else is neutral.
 */
export function stanceOf(sentence: string, firstOfReply: boolean): Stance {
  const s = sentence.trim();
  if (isNak(s)) return 'disagrees';
  if (OPENING_DISAGREE.test(s)) return 'disagrees';
  if (OPENING_AGREE.test(s) || CUES.ackTrailer.test(s)) return 'agrees';
  if (firstOfReply && /\b(?:looks? (?:good|ok)|makes sense|agreed)\b/i.test(s)) return 'agrees';
  if (firstOfReply && /\bnot (?:true|correct)\b|\bdisagree\b/i.test(s)) return 'disagrees';
  return 'neutral';
}
