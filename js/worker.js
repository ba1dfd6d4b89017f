// The worker of the full module (every call of calls.js's WORKER_CALLS).
// The glue is imported, not bundled in: a page that loads it for its own thread shares the file.
import { serve } from './worker-core.js';

serve(import(/* webpackChunkName: "glue" */ '../pkg/tempus_certgen.js'));
