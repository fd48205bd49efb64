import type { ToolContext } from '../context.js';
import { answerTool } from './answer.js';
import { applyTool } from './apply.js';
import { diffTool } from './diff.js';
import { forgetTool } from './forget.js';
import { interruptTool } from './interrupt.js';
import { killTool } from './kill.js';
import { outputTool } from './output.js';
import { sendTool } from './send.js';
import { spawnTool } from './spawn.js';
import { statusTool } from './status.js';
import { waitTool } from './wait.js';

/** Every axiom tool, in the order clients list them. */
export function allTools(ctx: ToolContext) {
  return [
    spawnTool(ctx),
    outputTool(ctx),
    statusTool(ctx),
    sendTool(ctx),
    interruptTool(ctx),
    killTool(ctx),
    forgetTool(ctx),
    diffTool(ctx),
    applyTool(ctx),
    answerTool(ctx),
    waitTool(ctx),
  ] as const;
}

export {
  answerTool,
  applyTool,
  diffTool,
  forgetTool,
  interruptTool,
  killTool,
  outputTool,
  sendTool,
  spawnTool,
  statusTool,
  waitTool,
};
