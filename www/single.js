// The single-file page's entry. A file:// page can load no worker file, so its workers run this
// same script, its own text as a blob: in a worker it serves the full module's calls
// (js/worker.js), in the page it is the page (main.js). One copy of the glue and of the calls
// table serves both, where a second script inside the page held them again.
import { useScript } from '../js/runtime-inline.js';

if (typeof document === 'undefined') {
  import('../js/worker.js');
} else {
  // document.currentScript is set only while the script first runs.
  useScript(document.currentScript.text);
  import('./main.js');
}
