// Which kernel a thread is about, from its date (and its tree tag): the release under development
// when the patch was posted (the tree it was written against), or the last one released (what a
// bug report or a "currently ..." describes). Release dates are the days Linus tagged them.
import { KERNEL_LABELS } from '../sparsemem/index.js';

const RELEASES: readonly [string, string][] = [
  ['v5.1', '2019-05-05'], ['v5.2', '2019-07-07'], ['v5.3', '2019-09-15'], ['v5.4', '2019-11-24'],
  ['v5.5', '2020-01-26'], ['v5.6', '2020-03-29'], ['v5.7', '2020-05-31'], ['v5.8', '2020-08-02'],
  ['v5.9', '2020-10-11'], ['v5.10', '2020-12-13'], ['v5.11', '2021-02-14'], ['v5.12', '2021-04-25'],
  ['v5.13', '2021-06-27'], ['v5.14', '2021-08-29'], ['v5.15', '2021-10-31'], ['v5.16', '2022-01-09'],
  ['v5.17', '2022-03-20'], ['v5.18', '2022-05-22'], ['v5.19', '2022-07-31'], ['v6.0', '2022-10-02'],
  ['v6.1', '2022-12-11'], ['v6.2', '2023-02-19'], ['v6.3', '2023-04-23'], ['v6.4', '2023-06-25'],
  ['v6.5', '2023-08-27'], ['v6.6', '2023-10-30'], ['v6.7', '2024-01-07'], ['v6.8', '2024-03-10'],
  ['v6.9', '2024-05-12'], ['v6.10', '2024-07-14'], ['v6.11', '2024-09-15'], ['v6.12', '2024-11-17'],
  ['v6.13', '2025-01-19'],
];

/** linux-next of mid-June 2019 (the sub-section series v9), the one linux-next the model carries. */
const NEXT_2019 = { label: 'next-20190612', from: '2019-05-20', to: '2019-07-07' };

export interface KernelChoice {
  kernel: string | null;
  why: string;
}

/**
 * The kernel a thread posted on `date` is about. `development`: the first release after the date
 * (a patch posted then targets that tree); `released`: the last release on or before it. A thread
 * tagged `-next` in the window of the modelled linux-next gets that linux-next.
 */
export function kernelFor(date: string | null, era: 'development' | 'released', tree: string | null): KernelChoice {
  if (!date) return { kernel: null, why: 'the thread carries no date, so its kernel version is unknown' };
  const day = date.slice(0, 10);
  if (tree && /next/i.test(tree) && day >= NEXT_2019.from && day < NEXT_2019.to) {
    return { kernel: NEXT_2019.label, why: `tagged [${tree}] and posted ${day}: linux-next of June 2019 (${NEXT_2019.label})` };
  }
  let label: string | undefined;
  if (era === 'development') label = RELEASES.find(([, d]) => d > day)?.[0];
  else label = [...RELEASES].reverse().find(([, d]) => d <= day)?.[0];
  const what = era === 'development' ? 'the release in development' : 'the last release';
  if (!label) return { kernel: null, why: `no ${what} is known for ${day}` };
  if (!KERNEL_LABELS.includes(label)) return { kernel: null, why: `${what} on ${day} is ${label}, outside the model's range (${KERNEL_LABELS[0]} .. v6.12)` };
  return { kernel: label, why: `posted ${day}: ${what} is ${label}` };
}
