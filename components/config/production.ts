/**
 * Which stacks are production. Keyed on the stack's name (`pulumi.getStack()`), from this list in
 * code: nothing in a stack's own config (`environment`, `dataProtection`, ...) can make a
 * production stack anything else, so every production guarantee holds whatever the config says.
 * Adding a production stack is a reviewed change to this list.
 */
export const PRODUCTION_STACKS: readonly string[] = Object.freeze(["prod"]);

export const isProductionStack = (stack: string): boolean => PRODUCTION_STACKS.includes(stack);
