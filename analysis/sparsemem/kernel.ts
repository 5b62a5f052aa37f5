// Kernel versions the model covers: mainline v5.2 .. v6.12, plus linux-next of mid-June 2019
// (the sub-section series v9, before v10 restored early-section validity; §6.1, §6.2).

export interface KernelVersion {
  /** As written: 'v5.10', 'next-20190612'. */
  label: string;
  /** major * 100 + minor; linux-next 2019-06 carries the v5.3 flag layout (code 503). */
  code: number;
  /** linux-next with the sub-section series v9 (pfn_valid without the early-section shortcut). */
  next2019: boolean;
}

export const NEXT_2019 = 'next-20190612';

export const KERNEL_LABELS: readonly string[] = [
  'v5.2', 'v5.3', 'v5.4', 'v5.5', 'v5.6', 'v5.7', 'v5.8', 'v5.9', 'v5.10', 'v5.11', 'v5.12', 'v5.13',
  'v5.14', 'v5.15', 'v5.16', 'v5.17', 'v5.18', 'v5.19', 'v6.0', 'v6.1', 'v6.2', 'v6.3', 'v6.4', 'v6.5',
  'v6.6', 'v6.7', 'v6.8', 'v6.9', 'v6.10', 'v6.11', 'v6.12', NEXT_2019,
];

export function parseKernel(label: string): KernelVersion {
  if (label === NEXT_2019) return { label, code: 503, next2019: true };
  const m = /^v?(\d+)\.(\d+)$/.exec(label.trim());
  if (!m) throw new Error(`bad kernel version '${label}' (use v5.2 .. v6.12 or ${NEXT_2019})`);
  const code = Number(m[1]) * 100 + Number(m[2]);
  if (code < 502 || code > 612 || (code > 519 && code < 600)) {
    throw new Error(`kernel ${label} is outside the modelled range v5.2 .. v6.12`);
  }
  return { label: `v${m[1]}.${m[2]}`, code, next2019: false };
}
