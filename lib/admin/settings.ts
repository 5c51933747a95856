/**
 * The admin lists' functions under the names scripts and tests use; each list, with its schema,
 * columns, form and API, is declared in lib/admin/lists.
 */
export { addRule, removeRule, ruleInput, type RuleInput } from '@/lib/admin/lists/root-cause-rules';
export { ownershipInput, removeOwnership, saveOwnership } from '@/lib/admin/lists/ownership';
export { glossaryInput, removeGlossary, saveGlossary } from '@/lib/admin/lists/glossary';
export { listStepSlas, removeStepSla, saveStepSla, stepSlaInput } from '@/lib/admin/lists/step-slas';
