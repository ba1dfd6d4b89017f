// The worker of the full module (every call of calls.js's WORKER_CALLS).
import * as wasm from '../pkg/tempus_certgen.js';
import { serve } from './worker-core.js';

serve(wasm);
