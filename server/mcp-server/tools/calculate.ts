/** calculate: arithmetic, evaluated by the parser in calculator.ts. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { CALCULATOR_CONSTANTS, CALCULATOR_FUNCTIONS, CalculationError, calculate } from '../calculator.ts';

export function registerCalculateTool(server: McpServer): void {
  server.registerTool(
    'calculate',
    {
      title: 'Calculator',
      description:
        `Evaluates an arithmetic expression exactly as written: + - * / % ^ (or **), parentheses, ` +
        `functions ${CALCULATOR_FUNCTIONS.join(', ')}, constants ${CALCULATOR_CONSTANTS.join(', ')}.`,
      inputSchema: z.object({ expression: z.string().min(1).max(1000).describe('e.g. (2 + 3) * sqrt(16) / 4') }),
      outputSchema: z.object({ value: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ expression }) => {
      try {
        const value = calculate(expression);
        return { content: [{ type: 'text', text: `${expression} = ${value}` }], structuredContent: { value } };
      } catch (error) {
        if (!(error instanceof CalculationError)) throw error;
        return { content: [{ type: 'text', text: `Cannot calculate "${expression}": ${error.message}` }], isError: true };
      }
    },
  );
}
