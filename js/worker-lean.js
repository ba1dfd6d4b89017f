// The worker of the lean module (pkg/lean/): the page's first generation, and nothing that reads
// a file a person supplies (js/calls.js moduleFor says which calls and options it takes).
// The glue is imported, not bundled in: the served page loads that same chunk for its own thread,
// so the browser fetches it once for both.
import { serve } from './worker-core.js';

serve(import(/* webpackChunkName: "glue-lean" */ '../pkg/lean/tempus_certgen.js'));
