/**
 * The entry of a runner worker thread (bundled as dist/runner.js): the core's runner (src/core/runner) serving the
 * registry's team. With the registry, this is the composition root of the runner threads, the only place besides
 * it that knows the concrete agents.
 */
import { serveRunner } from '../core/runner/runnerWorker';
import { createTeam } from './registry';

serveRunner(createTeam);
