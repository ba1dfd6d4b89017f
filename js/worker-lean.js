// The worker of the lean module (pkg/lean/): the page's first generation, and nothing that reads
// a file a person supplies (js/calls.js moduleFor says which calls and options it takes).
import * as wasm from '../pkg/lean/tempus_certgen.js';
import { serve } from './worker-core.js';

serve(wasm);
