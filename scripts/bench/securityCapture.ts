/**
 * `npm run bench:security -- --cases`: preloaded (`--import`) into the security agent's unit tests, it appends every
 * input the default security agent is given (path and text, one JSON line each) to the file SECURITY_CAPTURE names,
 * so the script can compare two agents' findings on every case the tests write.
 */
import { appendFileSync } from 'node:fs';
import { securityAgent } from '../../src/agents/security';

const out = process.env.SECURITY_CAPTURE;
if (out) {
  const run = securityAgent.run.bind(securityAgent);
  (securityAgent as { run: typeof run }).run = (input, signal) => {
    appendFileSync(out, `${JSON.stringify({ path: input.path, text: input.text })}\n`);
    return run(input, signal);
  };
}
