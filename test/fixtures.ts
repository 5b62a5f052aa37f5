// Where the real test data lives: the bundled samples in data/, and the seed threads and peer
// corpus in ../shared beside the checkout (CI clones main with shared/ beside it).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SAMPLES_DIR = resolve(ROOT, 'data/samples');
export const SHARED_DIR = resolve(ROOT, '../shared');
export const SEEDS_DIR = resolve(SHARED_DIR, 'seeds');
export const PEERS_DIR = resolve(SHARED_DIR, 'corpus/peers');
/** Scratch space for tests (git-ignored). */
export const WORK_DIR = resolve(ROOT, '.work/test');

export const SEED = {
  /** mail-archive.com thread page: 19 messages of "arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory" (2021). */
  armPfnValid: resolve(SAMPLES_DIR, '000_e39e1c1dbf3cb047.txt'),
  /** raw RFC822 flattened onto one line (2021, Dan Williams, pfn_to_online_page ZONE_DEVICE collisions). */
  flatRfc822: resolve(SAMPLES_DIR, '001_3ff6e6a83da12ccf.txt'),
  /** mail-archive.com author archive of Dan Williams (2019): sub-section hotplug v6..v9 and replies. */
  danAuthorArchive: resolve(SAMPLES_DIR, '002_3e7a4c28e30b5ca3.txt'),
  /** lkml.org page: "arm64/mm: don't WARN when alloc/free-ing device private pages" (2023). */
  lkmlDevicePrivate: resolve(SAMPLES_DIR, '003_71958f29ad8d687f.txt'),
  /** lkml.org page: "[RFC PATCH v2] mm: initialize struct pages reserved by ZONE_DEVICE driver" (2019). */
  lkmlZoneDeviceInit: resolve(SAMPLES_DIR, '004_eeb55a53d6283a53.txt'),
} as const;

export function requireShared(): void {
  if (!existsSync(PEERS_DIR)) throw new Error(`the shared corpus is missing: expected ${PEERS_DIR}`);
}
