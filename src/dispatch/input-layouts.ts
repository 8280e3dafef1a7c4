// The structures the class driver's dispatch-table rows name in their `input` column (layouts.md), for the
// CLI, the scenario parser and the fuzzer. Handlers read their few header bytes directly (hot path).

import type { Layout } from '../codecs/layout';
import { layouts } from '../codecs/layouts';

/** layouts.md PREVENT_MEDIA_REMOVAL (1 byte): MEDIA_REMOVAL, EJECTION_CONTROL, MCN_CONTROL */
export const PREVENT_MEDIA_REMOVAL: Layout<unknown> = layouts.PREVENT_MEDIA_REMOVAL as Layout<unknown>;
/** layouts.md PERSISTENT_RESERVE_COMMAND (12 bytes): PERSISTENT_RESERVE_IN / _OUT */
export const PERSISTENT_RESERVE_COMMAND: Layout<unknown> = layouts.PERSISTENT_RESERVE_COMMAND as Layout<unknown>;
