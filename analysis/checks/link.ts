// The linker: which checks of the catalog a claim is about, and on which code to run them. The
// entities and cue words of the claim choose the checks; the thread chooses the code: the patch
// under review (subject and the patch number the claim names) picks the model variant, its date
// the kernel version, its subject or diff the architecture. Every choice is recorded as a reason;
// a claim no check applies to is left unchecked with the reason said out loud.
import { findVariant } from '../sparsemem/index.js';
import { CATALOG, KNOWN_FIXES } from './catalog.js';
import { kernelFor } from './kernels.js';
import { knownPatch, patchIndexNamed, type PatchVariant } from './patches.js';
import type { SubjectInfo } from '../../ingest/model.js';
import type { Arch, CheckDef, ClaimContext, ClaimLink, LinkResult, VariantPlan } from './types.js';
import { outsideTheModel } from './scope.js';

/** Words with which a claim describes the code as it is, before the patch under review. */
const DESCRIBES_CURRENT = /\bcurrent(?:ly)?\b|\btoday\b|\bexisting\b|\bthis is because\b|\bcauses? (?:a crash|the error|an? error)\b|\bis observed\b/i;

const DEFAULT_PROFILE: Record<Arch, string> = { arm64: 'arm64-4k-va48', x86_64: 'x86_64-l4' };

function touches(variants: readonly string[], slots: readonly string[]): boolean {
  return variants.some((name) => Object.keys(findVariant(name)?.slots ?? {}).some((s) => slots.includes(s)));
}

function profileFor(ctx: ClaimContext, check: CheckDef, archRequired: Arch | undefined, fixed: string | undefined): { profile: string | null; why: string } {
  const arch = ctx.thread.arch;
  if (archRequired && arch && arch !== archRequired) return { profile: null, why: `the check models ${archRequired} code and the thread is about ${arch} (${ctx.thread.archReason})` };
  if (fixed) return { profile: fixed, why: `profile ${fixed}` };
  if (archRequired) {
    const why = arch ? ctx.thread.archReason : `the code the check models is ${archRequired}-only`;
    const p = archRequired === 'arm64' && ctx.thread.vaBits === 39 ? 'arm64-4k-va39' : DEFAULT_PROFILE[archRequired];
    return { profile: p, why: `${archRequired}: ${why}; profile ${p}${ctx.thread.vaBits ? ` (the thread names ${ctx.thread.vaBits}-bit VA)` : ''}` };
  }
  if (arch) return { profile: DEFAULT_PROFILE[arch], why: `${arch}: ${ctx.thread.archReason}; profile ${DEFAULT_PROFILE[arch]}` };
  return { profile: DEFAULT_PROFILE.x86_64, why: `${ctx.thread.archReason}: the scenario's x86_64 profile (${DEFAULT_PROFILE.x86_64})` };
}

/**
 * The posting a claim is about: its own message's patch subject (`Re: [PATCH v3 2/6] …` names the
 * revision), else the thread's first patch mail. A thread here is every message with one
 * normalised subject, so v2, v3 and v4 of a patch share one.
 */
function postingOf(ctx: ClaimContext): SubjectInfo {
  return ctx.message.subject.isPatch ? ctx.message.subject : ctx.thread.subject;
}

/** The runs for one check: the code the claim is about first, then labelled counterfactuals. */
function variantPlans(ctx: ClaimContext, check: CheckDef, kernel: string, profile: string, reasons: string[]): VariantPlan[] {
  const patch = knownPatch(ctx.thread.title);
  const posting = postingOf(ctx);
  const named = patchIndexNamed(ctx.claim.text) ?? patchIndexNamed(ctx.preceding);
  const index = named ?? posting.index;
  const under: PatchVariant | null = patch?.underReview(posting, index) ?? null;
  const baseline = (role: VariantPlan['role'], why: string): VariantPlan => ({ role, appliesPatch: false, label: `${kernel} without the patch${role === 'counterfactual' ? ' (counterfactual)' : ''}`, variants: [], kernel, profile, why });
  const plans: VariantPlan[] = [];
  if (patch && under && touches(under.variants, check.slots)) {
    const subj = `[PATCH${posting.version ? ` V${posting.version}` : ''}${posting.index ? ` ${posting.index}/${posting.total ?? '?'}` : ''}] ${ctx.thread.title}`;
    reasons.push(`patch under review: ${under.label} ${under.source} (${posting === ctx.thread.subject ? 'thread' : 'posting'}: ${subj}${named !== null && named !== posting.index ? `; the claim names patch ${named}` : ''})`);
    const inPatchMail = ctx.thread.patchMails.has(ctx.claim.msgid) && ctx.claim.origin === 'own';
    const current = DESCRIBES_CURRENT.exec(ctx.claim.text)?.[0];
    if (inPatchMail || current) {
      const why = inPatchMail ? 'the claim is in the patch mail itself: it describes the code before the patch' : `the claim says "${current}": it describes the code before the patch`;
      reasons.push(why);
      plans.push(baseline('under-review', why));
      plans.push({ role: 'counterfactual', appliesPatch: true, label: `${under.label} applied (counterfactual)`, variants: under.variants, kernel, profile, why: 'the patch under review, applied' });
    } else {
      plans.push({ role: 'under-review', appliesPatch: true, label: `${under.label} (under review)`, variants: under.variants, kernel, profile, why: 'a reply in review of this patch' });
      if (patch.fixed && touches(patch.fixed.variants, check.slots) && patch.fixed.variants.join() !== under.variants.join()) {
        plans.push({ role: 'counterfactual', appliesPatch: false, label: `${patch.fixed.label} (counterfactual)`, variants: patch.fixed.variants, kernel, profile, why: 'the fixed code the review led to' });
      }
      plans.push(baseline('counterfactual', 'the kernel without the patch under review'));
    }
  } else {
    if (patch && under) reasons.push(`the patch under review (${under.label}) changes none of what this check runs (${check.slots.join(', ') || 'no patched function'}): the kernel as released`);
    else if (patch?.fixed && touches(patch.fixed.variants, check.slots)) reasons.push(`the thread is about a bug fixed by ${patch.fixed.label}: the kernel before the fix`);
    else reasons.push('no modelled patch in this thread: the kernel as released');
    plans.push(baseline('under-review', 'the code the thread discusses'));
    const fix = patch?.fixed && touches(patch.fixed.variants, check.slots) ? patch.fixed : KNOWN_FIXES[check.name];
    if (fix) plans.push({ role: 'counterfactual', appliesPatch: false, label: `${fix.label} (counterfactual)`, variants: fix.variants, kernel, profile, why: 'the fix, applied to the same kernel' });
  }
  // A variant for one architecture cannot be applied to a profile of another.
  return plans.filter((p) => p.variants.every((v) => !findVariant(v)?.arch || profile.startsWith(findVariant(v)?.arch ?? '')));
}

/** Kinds of claim that state no outcome a run of the model could confirm or refute. */
const ASSERTS_NOTHING: ReadonlySet<string> = new Set(['suggestion', 'agreement', 'none']);

/** Link one claim: every applicable check with its plan, or the reason none applies. */
export function linkClaim(ctx: ClaimContext): LinkResult {
  const links: ClaimLink[] = [];
  const nearMisses: LinkResult['nearMisses'] = [];
  if (ASSERTS_NOTHING.has(ctx.claim.kind)) {
    return { claimId: ctx.claim.id, links, unchecked: `no check applies: the claim is read as ${/^[aeiou]/.test(ctx.claim.kind) ? 'an' : 'a'} ${ctx.claim.kind}, which states no outcome to confirm or refute`, nearMisses };
  }
  const outside = outsideTheModel(ctx.claim.text);
  if (outside) {
    return { claimId: ctx.claim.id, links, unchecked: `no check applies: the claim names ${outside.mechanism} ("${outside.words}"), which the sparsemem model does not represent`, nearMisses };
  }
  for (const check of CATALOG) {
    const m = check.match(ctx);
    if (!m.applies) {
      if (m.partial) nearMisses.push({ check: check.name, reason: m.reason });
      continue;
    }
    const { kernel, why: kernelWhy } = kernelFor(ctx.thread.date, check.era, ctx.thread.subject.tree);
    if (!kernel) {
      nearMisses.push({ check: check.name, reason: `applies, but ${kernelWhy}` });
      continue;
    }
    const { profile, why: profileWhy } = profileFor(ctx, check, m.archRequired, m.profile);
    if (!profile) {
      nearMisses.push({ check: check.name, reason: `applies, but ${profileWhy}` });
      continue;
    }
    const reasons = [...m.reasons, `kernel ${kernel}: ${kernelWhy} (${check.era === 'released' ? 'the check examines released behaviour' : 'the tree the patch was written against'})`, profileWhy];
    const variants = variantPlans(ctx, check, kernel, profile, reasons);
    if (variants.length === 0) {
      nearMisses.push({ check: check.name, reason: `applies, but none of its variants fits profile ${profile}` });
      continue;
    }
    links.push({ claimId: ctx.claim.id, check: check.name, plan: { polarity: m.polarity, cases: m.cases, variants, reasons } });
  }
  return { claimId: ctx.claim.id, links, unchecked: links.length ? null : uncheckedReason(ctx, nearMisses), nearMisses };
}

/** "no check covers libnvdimm locking (nvdimm_bus_list_mutex, device_lock)". */
export function uncheckedReason(ctx: ClaimContext, nearMisses: LinkResult['nearMisses']): string {
  const ents = [...new Set(ctx.claim.entities.filter((e) => e.kind !== 'literal').map((e) => e.name))];
  const locks = ctx.claim.entities.some((e) => e.kind === 'lock') || /\block(?:ing|dep)?\b|\bmutex\b|\bdeadlock\b/i.test(ctx.claim.text);
  const area = (ctx.thread.subject.subsystem ?? '').split('/')[0].trim() || null;
  const topic = [area, locks ? 'locking' : null].filter(Boolean).join(' ');
  let reason: string;
  if (ents.length === 0) reason = `no check applies: the claim names no kernel entity${topic ? ` (thread: ${topic})` : ''} and no check's cues`;
  else reason = `no check covers ${topic || 'this claim'} (${ents.slice(0, 5).join(', ')})`;
  if (nearMisses.length) reason += `; nearest: ${nearMisses.map((n) => `${n.check} (${n.reason})`).join('; ')}`;
  return reason;
}
